import Testing
@testable import ClusteringPlugin

@Suite struct RadialPowerSpectrumTests {
    @Test func matchesNumPy() {
        for case let f as [String: Any] in Fixture.json["power_spectrum"] as! [Any] {
            let patch = (f["patch"] as! [[Double]]).flatMap { $0.map(Float.init) }
            let p = (f["patch"] as! [[Double]]).count
            let power = RadialPowerSpectrum(size: p)(patch)
            let reference = f["power"] as! [Double]
            #expect(power.count == reference.count)
            for (a, b) in zip(power, reference) { #expect(abs(a - b) <= 1e-4 * max(1, abs(b)), "p=\(p): \(a) vs NumPy \(b)") }
        }
    }

    @Test func constantPatchHasOnlyTheZeroFrequency() {
        let power = RadialPowerSpectrum(size: 8)([Float](repeating: 0.5, count: 64))
        #expect(abs(power[0] - 32 * 32) < 1e-6)
        #expect(power.dropFirst().allSatisfy { abs($0) < 1e-9 })
    }
}
