import Foundation
import Framework

/// A dataset that renders each example from its index, for loader and augmentation tests:
/// deterministic pixels, a label, votes, a mask on every other example and a box, plus
/// hooks to fail, slow down or count calls.
public final class SyntheticDataset: Dataset, @unchecked Sendable {
    public let count: Int
    public let channels: Int
    public let size: Int
    /// Index whose loading throws.
    public let failing: Int?
    /// Seconds each load sleeps.
    public let delay: Double
    private let lock = NSLock()
    private var _loads = 0

    public struct Broken: Error, CustomStringConvertible {
        public var description: String { "synthetic decoder failure" }
    }

    public init(count: Int, channels: Int = 3, size: Int = 16, failing: Int? = nil, delay: Double = 0) {
        self.count = count
        self.channels = channels
        self.size = size
        self.failing = failing
        self.delay = delay
    }

    /// How many times `example(at:)` ran.
    public var loads: Int { lock.withLock { _loads } }

    public func id(at index: Int) -> String { "gal\(index)" }

    public func example(at index: Int) throws -> Example {
        lock.withLock { _loads += 1 }
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        if index == failing { throw Broken() }
        var image = Image(channels: channels, height: size, width: size)
        var rng = RandomGenerator(seed: 99, stream: UInt64(index))
        for i in image.pixels.indices { image.pixels[i] = rng.uniform() }
        // A bright 3×3 spot whose position depends on the index, with a mask and a box on it.
        let cx = size / 2 - 2 + index % 4, cy = size / 2 - 2 + (index / 4) % 4
        var mask = Image(channels: 1, height: size, width: size)
        for y in cy - 1...cy + 1 {
            for x in cx - 1...cx + 1 {
                for c in 0..<channels { image[c, y, x] = 10 }
                mask[0, y, x] = 1
            }
        }
        let box = BoundingBox(x1: Float(cx - 1), y1: Float(cy - 1), x2: Float(cx + 2), y2: Float(cy + 2), label: 1)
        return Example(id: id(at: index), image: image,
                       labels: ["index": Float(index)],
                       votes: ["q_a": Float(index), "q_b": Float(2 * index)],
                       masks: index % 2 == 0 ? ["spot": mask] : [:],
                       boxes: [box])
    }
}
