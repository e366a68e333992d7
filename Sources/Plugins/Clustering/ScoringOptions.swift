import Framework

/// The options both clustering tasks share: what to score against and what to show.
public struct ScoringOptions: Codable, Sendable, Equatable {
    /// Discrete truth labels to score against (simulator labels or catalog label columns).
    public var truth = ["morphology", "ring", "has_bar", "merger"]
    /// Run the baselines (k-means on PCA of raw pixels; k-means on the backbone's
    /// representations when the experiment has a `backbone:`) beside the method.
    public var baselines = true
    /// PCA dimensions of the baselines.
    public var baselineComponents = 16
    /// Galaxies per cluster in the gallery.
    public var galleryPerCluster = 6
    /// Galaxies whose patch-type maps are drawn (patch-clustering).
    public var maps = 6

    public init() {}

    enum CodingKeys: String, CodingKey {
        case truth, baselines, baselineComponents = "baseline_components", galleryPerCluster = "gallery_per_cluster", maps
    }

    public func validate() throws {
        if baselineComponents < 1 { throw ConfigError(file: "task", message: "baseline_components must be ≥ 1") }
        if galleryPerCluster < 1 { throw ConfigError(file: "task", message: "gallery_per_cluster must be ≥ 1") }
        if maps < 0 { throw ConfigError(file: "task", message: "maps must be ≥ 0") }
    }
}
