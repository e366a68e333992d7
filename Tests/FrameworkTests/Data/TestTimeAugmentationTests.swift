import TestSupport
import Testing
@testable import Framework

/// A naive [N, C, H, W] tensor with distinct values.
private func batch(_ shape: [Int], seed: UInt64 = 1) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    return try! Tensor(shape: shape, storage: (0..<Shape.count(shape)!).map { _ in rng.uniform() })
}

/// Reference rotation by index formulas: flip x ↦ W−1−x, then k times out[i][j] = in[j][W−1−i].
private func referenceDihedral(_ r: Ref, _ t: DihedralTransform) -> Ref {
    var cur = r
    if t.flipped {
        var out = Ref.zeros(cur.shape)
        let w = cur.shape[3]
        for idx in Ref.indices(cur.shape) {
            out[idx] = cur[[idx[0], idx[1], idx[2], w - 1 - idx[3]]]
        }
        cur = out
    }
    for _ in 0..<t.quarterTurns {
        let (n, c, h, w) = (cur.shape[0], cur.shape[1], cur.shape[2], cur.shape[3])
        var out = Ref.zeros([n, c, w, h])
        for idx in Ref.indices(out.shape) {
            out[idx] = cur[[idx[0], idx[1], idx[3], w - 1 - idx[2]]]
        }
        cur = out
    }
    return cur
}

/// A D4-equivariant dense predictor: a 3×3 box blur with zero padding.
private func blur(_ x: Tensor) -> Tensor {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    var out = [Float](repeating: 0, count: x.count)
    for p in 0..<n * c { for y in 0..<h { for xx in 0..<w {
        var s: Float = 0
        for dy in -1...1 { for dx in -1...1 {
            let yy = y + dy, xq = xx + dx
            if yy >= 0, yy < h, xq >= 0, xq < w { s += x.storage[p * h * w + yy * w + xq] }
        } }
        out[p * h * w + y * w + xx] = s / 9
    } } }
    return try! Tensor(shape: x.shape, storage: out)
}

@Suite("Test-time augmentation")
struct TestTimeAugmentationTests {
    @Test("every D4 element matches the index-formula reference and inverts exactly",
          arguments: DihedralTransform.d4)
    func inverseUndoesTransform(_ t: DihedralTransform) throws {
        let x = batch([2, 3, 5, 7])
        let y = try t.apply(to: x)
        let ref = referenceDihedral(Ref(x), t)
        #expect(y.shape == ref.shape)
        #expect(y.storage.map(Double.init) == ref.data)
        let back = try t.inverse.apply(to: y)
        #expect(back.shape == x.shape && back.storage == x.storage)
        // Boxes: forward then inverse returns the box exactly.
        let box = BoundingBox(x1: 1.25, y1: 0.5, x2: 3, y2: 4.75, label: 2)
        let moved = t.apply(to: box, width: 7, height: 5)
        #expect(TestTimeAugmentation.inverse([moved], of: t, width: 7, height: 5) == [box])
    }

    /// Seeded random sizes, masks and boxes (quarter-pixel corners, exact in Float): every D4
    /// element and its inverse restore them bit for bit, and a transformed box stays inside
    /// the transformed frame.
    @Test("random masks and boxes round-trip every D4 element", arguments: DihedralTransform.d4)
    func randomMasksAndBoxesRoundTrip(_ t: DihedralTransform) throws {
        for k in 0..<50 {
            var rng = RandomGenerator(seed: 0xD4D4, stream: UInt64(k))
            let w = 2 + Int(rng.next() % 30), h = 2 + Int(rng.next() % 30)
            var mask = Image(channels: 1, height: h, width: w)
            for i in mask.pixels.indices { mask.pixels[i] = Float(rng.next() % 5) / 4 }
            let back = t.inverse.apply(to: t.apply(to: mask))
            #expect(back == mask, "case \(k): \(w)×\(h)")
            let q = { (n: Int) -> Float in Float(rng.next() % UInt64(4 * n + 1)) / 4 }
            let (xa, xb, ya, yb) = (q(w), q(w), q(h), q(h))
            guard xa != xb, ya != yb else { continue }
            let box = BoundingBox(x1: min(xa, xb), y1: min(ya, yb), x2: max(xa, xb), y2: max(ya, yb), label: 1 + Int(rng.next() % 3))
            let moved = t.apply(to: box, width: w, height: h)
            let (tw, th) = t.outputSize(width: w, height: h)
            #expect(moved.x1 >= 0 && moved.y1 >= 0 && moved.x2 <= Float(tw) && moved.y2 <= Float(th), "case \(k)")
            #expect(TestTimeAugmentation.inverse([moved], of: t, width: w, height: h) == [box], "case \(k): \(box) → \(moved)")
        }
    }

    @Test func groupElementsAreDistinct() throws {
        let x = batch([1, 1, 4, 4])
        let images = try TestTimeAugmentation(group: .d4).transformed(x).map(\.storage)
        #expect(Set(images.map { $0.map(\.bitPattern) }).count == 8)
        #expect(try TestTimeAugmentation(group: .c4).transforms.count == 4)
    }

    @Test func handednessRefusesD4() throws {
        #expect { try TestTimeAugmentation(group: .d4, handedness: true) } throws: { e in
            "\(e)".contains("'d4'") && "\(e)".contains("'c4'")
        }
        #expect(try TestTimeAugmentation(group: .c4, handedness: true).transforms.allSatisfy { !$0.flipped })
    }

    @Test func equivariantMaskAveragesBackToItself() throws {
        let x = batch([2, 2, 6, 9])
        for group in [TestTimeAugmentation.Group.c4, .d4] {
            let tta = try TestTimeAugmentation(group: group)
            let mean = try tta.meanDense(x) { blur($0) }
            let direct = blur(x)
            #expect(mean.shape == direct.shape)
            #expect(zip(mean.storage, direct.storage).allSatisfy { abs($0 - $1) < 1e-6 })
            // A predictor that ignores the transform (always the first input's blur) is not
            // equivariant: inverse-mapping then averaging must change it.
            let square = batch([1, 2, 6, 6])
            let fixed = blur(square)
            let wrong = try tta.meanDense(square) { _ in fixed }
            #expect(zip(wrong.storage, fixed.storage).contains { abs($0 - $1) > 1e-3 })
        }
    }

    @Test func boxMapsBackToItself() throws {
        // One bright pixel; the "detector" boxes the brightest pixel of whatever it sees.
        let x = try Tensor.zeros([1, 1, 6, 9])
        x.storage[2 * 9 + 7] = 1
        let tta = try TestTimeAugmentation(group: .d4)
        let found = try tta.boxes(x) { t in
            let w = t.shape[3]
            let i = t.storage.indices.max { t.storage[$0] < t.storage[$1] }!
            let bx = Float(i % w), by = Float(i / w)
            return [[BoundingBox(x1: bx, y1: by, x2: bx + 1, y2: by + 1)]]
        }
        #expect(found.count == 8)
        for perTransform in found { #expect(perTransform == [[BoundingBox(x1: 7, y1: 2, x2: 8, y2: 3)]]) }
    }

    @Test func scoresAreAveragedOverEveryRotation() throws {
        let x = batch([1, 1, 5, 5])
        // The top-left pixel: under the four rotations it visits the four corners.
        let tta = try TestTimeAugmentation(group: .c4)
        let mean = try tta.meanScores(x) { t in try Tensor(shape: [1, 1], storage: [t.storage[0]]) }
        let s = x.storage
        let corners = (s[0] + s[4] + s[20] + s[24]) / 4
        #expect(abs(try mean.item() - corners) < 1e-6)
    }

    @Test func dihedralGradientIsTheInversePermutation() throws {
        for t in DihedralTransform.d4 {
            try checkGradients("dihedral \(t)", inputs: [GradInput([2, 1, 3, 4])],
                               op: { try t.apply(to: $0[0]) }, reference: { referenceDihedral($0[0], t) })
        }
    }
}
