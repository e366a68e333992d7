/// An element of the dihedral group D4 acting on images: an optional left–right flip
/// followed by a number of exact quarter turns counter-clockwise (as displayed).
///
/// These are pure permutations of pixels, so applying one and then its inverse returns the
/// input bit for bit.
public struct DihedralTransform: Hashable, Sendable, CustomStringConvertible {
    /// Mirror left–right first.
    public var flipped: Bool
    /// Quarter turns counter-clockwise, 0...3.
    public var quarterTurns: Int

    public init(flipped: Bool = false, quarterTurns: Int = 0) {
        self.flipped = flipped
        self.quarterTurns = ((quarterTurns % 4) + 4) % 4
    }

    public static let identity = DihedralTransform()
    /// The four rotations.
    public static let c4 = (0..<4).map { DihedralTransform(quarterTurns: $0) }
    /// The four rotations and the four reflections.
    public static let d4 = c4 + (0..<4).map { DihedralTransform(flipped: true, quarterTurns: $0) }

    /// The transform that undoes this one. A reflection is its own inverse.
    public var inverse: DihedralTransform {
        flipped ? self : DihedralTransform(quarterTurns: 4 - quarterTurns)
    }

    public var description: String {
        (flipped ? "flip+" : "") + "rot\(quarterTurns * 90)"
    }

    /// The size of the result for a `width`×`height` input.
    public func outputSize(width: Int, height: Int) -> (width: Int, height: Int) {
        quarterTurns % 2 == 0 ? (width, height) : (height, width)
    }

    /// The transform as a map of continuous coordinates of a `width`×`height` image.
    public func map(width: Int, height: Int) -> AffineMap {
        var m = flipped ? AffineMap.horizontalFlip(width: width) : .identity
        var w = width, h = height
        for _ in 0..<quarterTurns {
            m = m.then(.quarterTurn(width: w))
            swap(&w, &h)
        }
        return m
    }

    /// For every output pixel (row-major) of a transformed `width`×`height` plane, the
    /// input pixel it comes from.
    func sourceIndices(width: Int, height: Int) -> [Int] {
        let (ow, oh) = outputSize(width: width, height: height)
        // Exact: the inverse map has entries 0 and ±1 and integer offsets.
        let g = map(width: width, height: height).inverse!
        var table = [Int](repeating: 0, count: ow * oh)
        for y in 0..<oh {
            for x in 0..<ow {
                let p = g.apply(Double(x) + 0.5, Double(y) + 0.5)
                table[y * ow + x] = Int((p.y - 0.5).rounded()) * width + Int((p.x - 0.5).rounded())
            }
        }
        return table
    }

    /// Permutes every `plane`-sized block of `values` by `table`.
    static func gather(_ values: [Float], plane: Int, table: [Int]) -> [Float] {
        let planes = plane == 0 ? 0 : values.count / plane
        var out = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                table.withUnsafeBufferPointer { t in
                    for p in 0..<planes {
                        let base = p &* plane
                        for i in 0..<plane { dst[base &+ i] = src[base &+ t[i]] }
                    }
                }
            }
        }
        return out
    }

    /// Applies the transform to the last two axes of `tensor` ([…, H, W], e.g. NCHW images
    /// or NKHW masks). Recorded on the tape: the gradient goes back through the inverse.
    public func apply(to tensor: Tensor) throws -> Tensor {
        guard tensor.rank >= 2 else {
            throw TensorError.invalidArgument(op: "dihedral(\(self))",
                                              message: "needs a tensor of rank ≥ 2 ([…, H, W]), got shape \(tensor.shape)")
        }
        let h = tensor.shape[tensor.rank - 2], w = tensor.shape[tensor.rank - 1]
        let (ow, oh) = outputSize(width: w, height: h)
        var shape = tensor.shape
        shape[shape.count - 2] = oh
        shape[shape.count - 1] = ow
        let out = Self.gather(tensor.storage, plane: w * h, table: sourceIndices(width: w, height: h))
        let inv = inverse
        return Tensor(unchecked: shape, storage: out).recorded("dihedral(\(self))", [tensor]) { g, _ in
            [try inv.apply(to: g)]
        }
    }

    /// Applies the transform to every channel of an image.
    public func apply(to image: Image) -> Image {
        let (ow, oh) = outputSize(width: image.width, height: image.height)
        let out = Self.gather(image.pixels, plane: image.width * image.height,
                              table: sourceIndices(width: image.width, height: image.height))
        return Image(channels: image.channels, height: oh, width: ow, pixels: out)
    }

    /// Where a box of a `width`×`height` input lands in the output. Exact for these maps.
    public func apply(to box: BoundingBox, width: Int, height: Int) -> BoundingBox {
        map(width: width, height: height).enclosing(box)
    }
}
