/// Building images from the interleaved 8-bit samples that codecs produce.
extension Image {
    /// k/255 for every byte value: exactly the Float nearest k/255, as a division gives.
    static let unitBytes: [Float] = (0..<256).map { Float($0) / 255 }

    /// An image from pixel-interleaved 8-bit samples (`stride` samples per pixel, of which
    /// the first `channels` are kept), values k/255, planes in channel order.
    static func fromInterleaved(_ samples: [UInt8], channels: Int, stride: Int, height: Int, width: Int) -> Image {
        let plane = height * width
        var pixels = [Float](repeating: 0, count: channels * plane)
        samples.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                unitBytes.withUnsafeBufferPointer { t in
                    for ch in 0..<channels {
                        for p in 0..<plane { dst[ch &* plane &+ p] = t[Int(src[p &* stride &+ ch])] }
                    }
                }
            }
        }
        return Image(channels: channels, height: height, width: width, pixels: pixels)
    }
}
