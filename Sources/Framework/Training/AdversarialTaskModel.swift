/// A task model that trains with several optimizers and its own update, such as a GAN's
/// discriminator and generator steps. `SupervisedRun` builds its optimizers, runs its step
/// through the trainer's custom step, and checkpoints every optimizer's state, so resume,
/// progress, the metrics log and the report work as for any other task.
public protocol AdversarialTaskModel: TaskModel {
    /// The named optimizers, in order; the first one's step count is the run's (schedules
    /// and the progress line follow it).
    func makeOptimizers(_ training: TrainingOptions) -> [(name: String, optimizer: Optimizer)]
    /// One update on a training batch with those optimizers; returns the values to log,
    /// `loss` among them (each other value becomes `train_<name>`).
    func step(_ batch: Batch, optimizers: [(name: String, optimizer: Optimizer)]) throws -> [String: Double]
}
