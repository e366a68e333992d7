/// How an image is resampled when drawn at another size.
public enum Interpolation: String, CaseIterable, Sendable {
    /// Each output pixel copies the closest input pixel: crisp, blocky when enlarged.
    case nearest
    /// Each output pixel blends the four closest input pixels: smooth. Shrinking by more
    /// than 2× averages all the input pixels under each output pixel instead.
    case bilinear
}
