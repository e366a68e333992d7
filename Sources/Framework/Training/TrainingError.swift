/// Why a training run stopped before its last epoch, other than early stopping.
public enum TrainingError: Error, CustomStringConvertible {
    /// The loss became NaN or infinite; the last good checkpoint is kept.
    case nonFiniteLoss(epoch: Int, batch: Int, loss: Double)
    /// The user interrupted (Ctrl-C); the run was saved and can be resumed.
    case interrupted(epoch: Int)

    public var description: String {
        switch self {
        case let .nonFiniteLoss(epoch, batch, loss):
            return "the training loss became \(loss) at epoch \(epoch + 1), batch \(batch + 1); stopped and kept the last good checkpoint. Lower the learning rate (or enable gradient clipping) and resume or restart."
        case let .interrupted(epoch):
            return "interrupted during epoch \(epoch + 1); the last completed epoch is saved — rerun with --resume to continue"
        }
    }
}
