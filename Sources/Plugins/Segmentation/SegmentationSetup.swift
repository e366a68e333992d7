import Framework

/// What a segmentation experiment builds before it trains: the data source, the model and
/// the `training:` and `augmentation:` sections.
struct SegmentationSetup {
    var source: DataSource
    var model: SegmentationModel
    var training: TrainingOptions
    var augmentation: AugmentationOptions?
}
