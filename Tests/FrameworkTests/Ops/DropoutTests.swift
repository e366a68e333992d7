import Testing
@testable import Framework

@Suite("Dropout")
struct DropoutTests {
    @Test("mask fraction, preserved mean and gradient", arguments: [0.1, 0.3, 0.5, 0.8] as [Float])
    func statistics(_ p: Float) throws {
        let n = 200_003
        var data = RandomGenerator(seed: 5)
        let x = try Tensor.uniform([n], low: 1, high: 2, using: &data)
        x.requiresGrad = true
        var rng = RandomGenerator(seed: 11)
        let y = x.dropout(probability: p, rng: &rng)
        let dropped = y.storage.filter { $0 == 0 }.count
        #expect(Swift.abs(Double(dropped) / Double(n) - Double(p)) < 0.006, "dropped \(dropped) of \(n) at p = \(p)")
        let meanIn = x.storage.reduce(0.0) { $0 + Double($1) } / Double(n)
        let meanOut = y.storage.reduce(0.0) { $0 + Double($1) } / Double(n)
        #expect(Swift.abs(meanOut / meanIn - 1) < 0.02, "mean \(meanIn) became \(meanOut)")

        var cot = RandomGenerator(seed: 2)
        let g = try Tensor.uniform([n], low: -1, high: 1, using: &cot)
        try y.backward(g)
        let scale = 1 / (1 - p)
        var mismatches = 0
        for i in 0..<n {
            let mask: Float = y.storage[i] == 0 ? 0 : scale
            if x.grad!.storage[i] != g.storage[i] * mask { mismatches += 1 }
            if y.storage[i] != 0 && y.storage[i] != x.storage[i] * scale { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func deterministicFromTheGenerator() throws {
        let x = try Tensor.ones([50_000])
        var a = RandomGenerator(seed: 3), b = RandomGenerator(seed: 3)
        let ya = x.dropout(probability: 0.5, rng: &a)
        let yb = x.dropout(probability: 0.5, rng: &b)
        #expect(ya.storage == yb.storage)
        #expect(a.next() == b.next())
        // The generator moved on, so the next mask differs.
        let yc = x.dropout(probability: 0.5, rng: &a)
        #expect(yc.storage != ya.storage)
    }

    @Test func edgeProbabilities() throws {
        var rng = RandomGenerator(seed: 1)
        let x = try Tensor(shape: [3], storage: [1, 2, 3], requiresGrad: true)
        #expect(x.dropout(probability: 0, rng: &rng).storage == [1, 2, 3])
        let y = x.dropout(probability: 1, rng: &rng)
        #expect(y.storage == [0, 0, 0])
        try y.sum().backward()
        #expect(x.grad?.storage == [0, 0, 0])
    }
}
