/// Why a training run stopped before its last epoch, other than early stopping.
public enum TrainingError: Error, CustomStringConvertible {
    /// The loss became NaN or infinite; the last good checkpoint is kept.
    case nonFiniteLoss(epoch: Int, batch: Int, loss: Double)
    /// The user interrupted (Ctrl-C); the run was saved and can be resumed.
    case interrupted(epoch: Int)
    /// Nothing to train on or validate against (e.g. no labelled examples in a split).
    case noData(train: Int, validation: Int)
    /// `training.monitor` names a metric that validation does not produce.
    case unknownMonitor(String, known: [String])
    /// A task's loss cannot be combined as asked (e.g. per-example weights on a batch loss).
    case invalidLoss(String)

    public var description: String {
        switch self {
        case let .nonFiniteLoss(epoch, batch, loss):
            return "the training loss became \(loss) at epoch \(epoch + 1), batch \(batch + 1); stopped and kept the last good checkpoint. Lower the learning rate (or enable gradient clipping) and resume or restart."
        case let .interrupted(epoch):
            return "interrupted during epoch \(epoch + 1); the last completed epoch is saved — rerun with --resume to continue"
        case let .noData(train, validation):
            return "training needs examples to train on and validate against, and found \(train) training (a full batch at least with drop_last) and \(validation) validation examples; check the splits and that the examples carry the head's labels"
        case let .unknownMonitor(metric, known):
            return "training.monitor '\(metric)' is not a metric of this run; validation gives \(known.joined(separator: ", ")) (and train_loss)"
        case let .invalidLoss(message):
            return message
        }
    }
}
