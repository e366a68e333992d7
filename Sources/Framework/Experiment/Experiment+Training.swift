/// The sections every supervised task reads the same way.
extension Experiment {
    /// The `training:` section's options (the defaults without one) and the `augmentation:`
    /// section's (nil without one), decoded strictly.
    public func trainingSections() throws -> (training: TrainingOptions, augmentation: AugmentationOptions?) {
        (try config.training?.decodeOptions(TrainingOptions.self, ignoring: []) ?? TrainingOptions(),
         try config.augmentation?.decode(AugmentationOptions.self))
    }
}
