/// A decoded image: Float32 pixels, channels first (C×H×W), row-major.
///
/// Decoders produce values in [0, 1] for 8/16-bit formats; FITS produces physical values
/// until display scaling maps them. Convert to a tensor with `tensor()`.
public struct Image: Equatable, Sendable {
    public var channels: Int
    public var height: Int
    public var width: Int
    /// `channels * height * width` values, plane after plane.
    public var pixels: [Float]

    public init(channels: Int, height: Int, width: Int, pixels: [Float]) {
        precondition(pixels.count == channels * height * width,
                     "Image: \(pixels.count) pixels for \(channels)×\(height)×\(width)")
        self.channels = channels
        self.height = height
        self.width = width
        self.pixels = pixels
    }

    /// A black image.
    public init(channels: Int, height: Int, width: Int) {
        self.init(channels: channels, height: height, width: width,
                  pixels: [Float](repeating: 0, count: channels * height * width))
    }

    /// The value at channel c, row y, column x.
    @inline(__always)
    public subscript(c: Int, y: Int, x: Int) -> Float {
        get { pixels[(c * height + y) * width + x] }
        set { pixels[(c * height + y) * width + x] = newValue }
    }

    /// Shape as a tensor would have it: [C, H, W].
    public var shape: [Int] { [channels, height, width] }

    /// The pixels as a [C, H, W] tensor.
    public func tensor() -> Tensor { Tensor(unchecked: shape, storage: pixels) }
}
