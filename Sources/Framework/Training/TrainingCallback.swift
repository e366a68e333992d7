/// Reacts to training events: logging, progress, checkpoints, early stopping. Throwing from
/// a callback stops training with that error.
public protocol TrainingCallback: AnyObject {
    func on(_ event: TrainingEvent, state: TrainerState) throws
}
