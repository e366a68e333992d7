/// How an image is resampled when drawn at another size.
public enum Interpolation: String, CaseIterable, Sendable {
    /// Each output pixel copies the closest input pixel: crisp, blocky when enlarged.
    case nearest
    /// Each output pixel blends the four closest input pixels: smooth.
    case bilinear
}
