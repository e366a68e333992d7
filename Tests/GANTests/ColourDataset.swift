import Foundation
import Framework

/// A trivially learnable distribution: constant-colour images, each one of two colours
/// (reddish or bluish) with a little noise, and the colour as label `colour` (0 or 1).
final class ColourDataset: Dataset, @unchecked Sendable {
    static let colours: [[Float]] = [[0.85, 0.2, 0.15], [0.1, 0.25, 0.9]]
    let count: Int
    let size: Int

    init(count: Int, size: Int = 32) {
        self.count = count
        self.size = size
    }

    func id(at index: Int) -> String { "colour\(index)" }

    func example(at index: Int) throws -> Example {
        let c = index % 2
        var rng = RandomGenerator(seed: 7, stream: UInt64(index))
        var image = Image(channels: 3, height: size, width: size)
        for ch in 0..<3 {
            for p in 0..<(size * size) { image.pixels[ch * size * size + p] = Self.colours[c][ch] + 0.02 * rng.normal() }
        }
        return Example(id: id(at: index), image: image, labels: ["colour": Float(c)])
    }

    /// Mean over images of the squared distance between an image's mean colour and the
    /// nearest data colour.
    static func colourDistance(_ images: Tensor) -> Double {
        let plane = images.shape[2] * images.shape[3]
        var total = 0.0
        for i in 0..<images.shape[0] {
            let mean = (0..<3).map { ch in
                images.storage[((i * 3 + ch) * plane)..<((i * 3 + ch + 1) * plane)].reduce(0.0) { $0 + Double($1) } / Double(plane)
            }
            total += colours.map { c in (0..<3).reduce(0.0) { $0 + pow(mean[$1] - Double(c[$1]), 2) } }.min()!
        }
        return total / Double(images.shape[0])
    }
}
