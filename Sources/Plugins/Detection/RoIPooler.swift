import Foundation
import Framework

/// RoIAlign over one or several feature maps, as torchvision's `MultiScaleRoIAlign`: with
/// several maps each box is pooled from the level its size picks (level
/// ⌊4 + log2(√area / 224) + 10⁻⁶⌋, clamped to the maps' levels, a level being log2 of its
/// stride), with `aligned: false` and a fixed sampling ratio.
public struct RoIPooler: Equatable, Sendable {
    /// Strides of the maps the boxes are pooled from, ascending.
    public var strides: [Int]
    public var outputSize: Int
    public var samplingRatio: Int

    public init(strides: [Int], outputSize: Int = 7, samplingRatio: Int = 2) {
        self.strides = strides
        self.outputSize = outputSize
        self.samplingRatio = samplingRatio
    }

    /// The index into `strides` that each box is pooled from.
    public func levels(_ boxes: [Float]) -> [Int] {
        guard strides.count > 1 else { return [Int](repeating: 0, count: boxes.count / 4) }
        let kMin = Float(log2(Double(strides[0]))).rounded(), kMax = Float(log2(Double(strides[strides.count - 1]))).rounded()
        return stride(from: 0, to: boxes.count, by: 4).map { o in
            let area = (boxes[o + 2] - boxes[o]) * (boxes[o + 3] - boxes[o + 1])
            let level = (4 + log2(area.squareRoot() / 224) + Float(1e-6)).rounded(.down)
            return Int(min(max(level, kMin), kMax) - kMin)
        }
    }

    /// Pooled features [K, C, s, s] for the boxes of each image (flat, in input pixels), in
    /// image order.
    public func callAsFunction(_ features: [Tensor], boxes: [[Float]]) throws -> Tensor {
        guard features.count == strides.count else {
            throw TensorError.invalidArgument(op: "RoIPooler", message: "\(features.count) feature maps for \(strides.count) strides")
        }
        var rows: [[Float]] = Array(repeating: [], count: strides.count)
        var order: [[Int]] = Array(repeating: [], count: strides.count)
        var k = 0
        for (image, b) in boxes.enumerated() {
            for (j, level) in levels(b).enumerated() {
                rows[level] += [Float(image)] + b[(j * 4)..<(j * 4 + 4)]
                order[level].append(k)
                k += 1
            }
        }
        var pooled: [Tensor] = []
        for (level, r) in rows.enumerated() where !r.isEmpty {
            pooled.append(try features[level].roiAlign(boxes: Tensor(shape: [r.count / 5, 5], storage: r),
                                                       outputSize: (outputSize, outputSize), spatialScale: 1 / Float(strides[level]),
                                                       samplingRatio: samplingRatio, aligned: false))
        }
        guard !pooled.isEmpty else {
            return try Tensor.zeros([0, features[0].shape[1], outputSize, outputSize])
        }
        let stacked = pooled.count == 1 ? pooled[0] : try Tensor.concat(pooled, axis: 0)
        // Back to image order: position p of the stacked rows holds box order.joined()[p].
        let joined = order.joined().map { $0 }
        if joined == Array(0..<k) { return stacked }
        var inverse = [Int](repeating: 0, count: k)
        for (p, box) in joined.enumerated() { inverse[box] = p }
        return try stacked.gather(axis: 0, indices: inverse)
    }
}
