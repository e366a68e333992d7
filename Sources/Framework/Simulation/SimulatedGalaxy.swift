/// One simulated galaxy: every parameter drawn for it, the components they make, and its
/// ground truth (structure, feature visibility, the volunteers' answer probabilities, clump
/// boxes).
///
/// The structure is what the galaxy *is*; the answer probabilities are what volunteers would
/// *see* in its noisy, blurred image (see `VolunteerModel`).
public struct SimulatedGalaxy: Codable, Equatable, Sendable {
    /// The main kind of object in the frame.
    public enum Morphology: String, Codable, Sendable, CaseIterable {
        case elliptical, disk, edgeOn = "edge_on", artifact
    }

    /// Interaction state, in the order of the GZ `merging` answers.
    public enum MergerState: Int, Codable, Sendable, CaseIterable {
        case none, minorDisturbance, majorDisturbance, merger
    }

    /// Bulge of an edge-on disk, in the order of the GZ `edge-on-bulge` answers.
    public enum EdgeOnBulge: Int, Codable, Sendable, CaseIterable {
        case boxy, none, rounded
    }

    /// Spiral winding, in the order of the GZ `spiral-winding` answers.
    public enum Winding: Int, Codable, Sendable, CaseIterable {
        case tight, medium, loose

        /// Pitch-angle range in degrees.
        public var pitchRange: ClosedRange<Double> {
            switch self {
            case .tight: return 6...13
            case .medium: return 13...22
            case .loose: return 22...35
            }
        }
    }

    /// What the galaxy is, as drawn.
    public struct Structure: Codable, Equatable, Sendable {
        public var morphology: Morphology
        /// Apparent minor/major axis ratio of the main galaxy.
        public var axisRatio: Double
        /// Disk inclination in degrees (0 face-on, 90 edge-on; 0 for ellipticals).
        public var inclination: Double
        /// Half-light radius of the main galaxy (of its disk for disks), pixels.
        public var effectiveRadius: Double
        /// Bulge-to-total flux ratio (1 for ellipticals).
        public var bulgeToTotal: Double
        /// Bar strength in [0, 1]: 0 none, below 0.5 weak, 0.5 and above strong.
        public var barStrength: Double
        /// Number of spiral arms (0 for none).
        public var armCount: Int
        /// |Pitch angle| of the arms in degrees (0 for none).
        public var pitch: Double
        public var winding: Winding?
        public var ring: Bool
        public var edgeOnBulge: EdgeOnBulge?
        public var merger: MergerState
        public var clumpCount: Int
        public var starCount: Int

        public var hasBar: Bool { barStrength > 0 }
        public var isStrongBar: Bool { barStrength >= 0.5 }
    }

    /// How clearly each feature shows in the image, 0 (invisible) to 1 (obvious), from its
    /// signal-to-noise and size against the PSF (see `VolunteerModel`).
    public struct Visibility: Codable, Equatable, Sendable {
        public var galaxy: Double = 0
        public var bulge: Double = 0
        public var bar: Double = 0
        public var arms: Double = 0
        public var ring: Double = 0
        public var clumps: Double = 0
        public var interaction: Double = 0

        public init() {}
    }

    /// `sim-<seed>-<index>`.
    public var id: String
    public var index: Int
    public var redshift: Double
    /// Absolute r magnitude of the main galaxy.
    public var absoluteMagnitude: Double
    /// Image pixels per kiloparsec at this redshift.
    public var pixelsPerKpc: Double
    /// Centre of the main galaxy, image pixels.
    public var x: Double
    public var y: Double
    public var structure: Structure
    public var components: [GalaxyComponent]
    public var defects: [DetectorDefect]
    /// PSF in g, r, z.
    public var psfs: [PSF]
    /// Sky level per pixel in g, r, z, counts.
    public var skyCounts: [Double]
    /// Number of volunteers who classify it.
    public var volunteers: Int

    /// Filled from the rendered image by the simulator.
    public var visibility = Visibility()
    /// Probability of each GZ DECaLS answer (in `DecisionTree.gzDecals.columnNames` order) for
    /// a volunteer who is asked the question.
    public var answerProbabilities: [Float] = []
    /// Clump boxes (class 1) holding ≥ 90 % of each clump's light in every band.
    public var boxes: [BoundingBox] = []
}
