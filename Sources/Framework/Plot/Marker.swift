/// The shape drawn at each data point of a series.
public enum Marker: String, CaseIterable, Sendable {
    case circle, square, triangle, diamond
}
