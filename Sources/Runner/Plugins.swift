import ClassifierPlugin
import DetectionPlugin
import ClusteringPlugin
import Framework
import SegmentationPlugin
import GANPlugin

/// Every plugin's components, registered in one place: adding a plugin or a head is one new
/// file in its plugin folder plus one line here.
func makeRegistry() -> Registry {
    let registry = Registry()
    // Data sources.
    registry.register(dataset: CatalogSource.self, plugin: "Framework")
    registry.register(dataset: SimulatedSource.self, plugin: "Framework")
    // Backbones.
    for family in BackboneFamily.builtIn { registry.register(backbone: family) }
    // Acquisition functions.
    registry.register(acquisition: RandomAcquisitionComponent.self, plugin: "Framework")
    registry.register(acquisition: MaxEntropyComponent.self, plugin: "Framework")
    registry.register(acquisition: MarginComponent.self, plugin: "Framework")
    registry.register(acquisition: VariationRatiosComponent.self, plugin: "Framework")
    registry.register(acquisition: BALDComponent.self, plugin: "Framework")
    registry.register(acquisition: CoreSetComponent.self, plugin: "Framework")
    registry.register(acquisition: ExpectedImprovementComponent.self, plugin: "Framework")
    // Classifier plugin: tasks and heads.
    registry.register(task: FinetuneComponent.self, plugin: "Classifier")
    registry.register(task: VolunteerLoopComponent.self, plugin: "Classifier")
    registry.register(task: AnomalySearchComponent.self, plugin: "Classifier")
    registry.register(head: LinearClassifierComponent.self, plugin: "Classifier")
    registry.register(head: VoteTreeComponent.self, plugin: "Classifier")
    registry.register(head: RegressorComponent.self, plugin: "Classifier")
    registry.register(task: AcquisitionComparisonComponent.self, plugin: "Classifier")
    registry.register(predictor: ClassifierPredictor.self, plugin: "Classifier")
    // Segmentation plugin: masks of bars, arms or any catalog mask.
    registry.register(task: SegmentationComponent.self, plugin: "Segmentation")
    registry.register(decoder: UNetDecoderComponent.self, plugin: "Segmentation")
    registry.register(decoder: ResidualUNetComponent.self, plugin: "Segmentation")
    registry.register(section: "decoder", category: .decoder)
    registry.register(predictor: SegmentationPredictor.self, plugin: "Segmentation")
    // Detection plugin.
    registry.register(task: DetectionComponent.self, plugin: "Detection")
    registry.register(predictor: DetectionPredictor.self, plugin: "Detection")
    // GAN plugin.
    registry.register(task: GANComponent.self, plugin: "GAN")
    // Clustering plugin: unsupervised tasks.
    registry.register(task: PatchClusteringComponent.self, plugin: "Clustering")
    registry.register(task: RepresentationClusteringComponent.self, plugin: "Clustering")
    registry.register(predictor: ClusteringPredictor.self, plugin: "Clustering")
    registry.register(generator: GANRunGenerator.self, plugin: "GAN")
    // Sections the tasks decode themselves, checked by validate's first pass.
    registry.register(section: "training", options: TrainingOptions.self)
    registry.register(section: "augmentation", decoding: AugmentationOptions.self)
    return registry
}

/// The plugins' `zoorun bench` workloads, beside the engine's.
func pluginBenchmarks() -> [BenchmarkWorkload] {
    ClusteringBenchmarks.workloads
}
