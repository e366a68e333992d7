/// One galaxy as the framework sees it: an id and an image, plus whatever targets the
/// dataset has. Everything but `id` and `image` is optional, so one type serves catalogs of
/// class labels, Galaxy Zoo vote counts, segmentation masks and detection boxes.
public struct Example: Sendable {
    /// The catalog's `id_str`.
    public var id: String
    /// C×H×W pixels.
    public var image: Image
    /// Named scalar labels (a class index as Float, a regression target, a vote fraction).
    public var labels: [String: Float]
    /// Galaxy Zoo vote counts by column name `question_answer`.
    public var votes: [String: Float]
    /// Named masks (e.g. "bar", "spiral"), each 1×H×W in [0, 1].
    public var masks: [String: Image]
    /// Boxes with class labels (clumps).
    public var boxes: [BoundingBox]
    /// How much this example's training loss counts (a catalog's `weight_column`; 1 when
    /// unweighted, 0 leaves it out of the gradient).
    public var weight: Float

    public init(id: String, image: Image, labels: [String: Float] = [:], votes: [String: Float] = [:],
                masks: [String: Image] = [:], boxes: [BoundingBox] = [], weight: Float = 1) {
        self.id = id
        self.image = image
        self.labels = labels
        self.votes = votes
        self.masks = masks
        self.boxes = boxes
        self.weight = weight
    }
}
