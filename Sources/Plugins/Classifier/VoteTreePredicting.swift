import Framework

/// A head whose outputs are Dirichlet concentrations over a Galaxy Zoo decision tree's
/// answers. The finetuning evaluation, the acquisition comparison's learning curves and the
/// volunteer loop ask for this capability, not for `VoteTreeHead`, so a user's own vote-tree
/// head (another link function, another loss) plugs into all of them.
public protocol VoteTreePredicting: Head {
    var tree: DecisionTree { get }
    /// Dirichlet concentrations α > 0, [N, answers], from the head's raw outputs.
    func concentrations(_ outputs: Tensor) -> Tensor
}
