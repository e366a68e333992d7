import Framework

/// A head that predicts the classes of one label column (its `outputNames`), so that the
/// volunteer loop can queue galaxies and import volunteers' answers for it.
public protocol ClassLabelPredicting: Head {
    /// The catalog column whose class index the head predicts.
    var label: String { get }
}
