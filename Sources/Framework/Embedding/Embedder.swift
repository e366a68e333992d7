/// Anything that maps images [N, C, H, W] to pooled representations [N, D]: a backbone, or
/// a trained model (which applies its input standardisation first).
public protocol Embedder: Module {
    func embed(_ images: Tensor) throws -> Tensor
}
