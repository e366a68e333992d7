/// Where a chart puts its legend.
public enum LegendPosition: String, CaseIterable, Sendable {
    /// The inside corner that hides the least data.
    case auto
    case upperLeft, upperRight, lowerLeft, lowerRight
    /// A row (or rows) of entries between the title and the plot area, hiding no data.
    case above
    /// No legend.
    case hidden
}
