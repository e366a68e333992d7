import Foundation
import Testing
@testable import Framework
@testable import SegmentationPlugin

/// Bar length and pitch angle read off masks: exact shapes drawn by hand, then the
/// simulator's own galaxies against their parameters.
@Suite("Shapes measured from masks")
struct MaskShapeTests {
    static let size = 64

    /// A filled ellipse of semi-major axis `a`, axis ratio `q`, at `angle` about the centre.
    static func ellipse(a: Double, q: Double, angle: Double) -> [Float] {
        let c = Double(size - 1) / 2
        return (0..<(size * size)).map { k in
            let x = Double(k % size) - c, y = Double(k / size) - c
            let u = x * cos(angle) + y * sin(angle), v = (y * cos(angle) - x * sin(angle)) / q
            return u * u + v * v <= a * a ? 1 : 0
        }
    }

    /// m logarithmic arms θ = φ + 2πj/m + ln r / tan(pitch), `width` radians wide, for 4 < r < 28.
    static func arms(m: Int, pitchDegrees: Double, phase: Double = 0.3, width: Double = 0.35) -> [Float] {
        let c = Double(size - 1) / 2, k = 1 / tan(pitchDegrees * .pi / 180)
        return (0..<(size * size)).map { i in
            let x = Double(i % size) - c, y = Double(i / size) - c
            let r = (x * x + y * y).squareRoot()
            guard r > 4, r < 28 else { return 0 }
            let period = 2 * Double.pi / Double(m)
            var d = (atan2(y, x) - phase - k * log(r)).truncatingRemainder(dividingBy: period)
            if d < 0 { d += period }
            return min(d, period - d) < width / 2 ? 1 : 0
        }
    }

    /// Within 3 %, or 8 % for a bar 2.4 pixels wide, whose outline the pixel grid coarsens.
    @Test(arguments: [(10.0, 0.3, 0.5, 0.03), (6.0, 0.4, 2.0, 0.08), (18.0, 0.25, -0.7, 0.03)])
    func barLengthIsTheEllipsesSemiMajorAxis(_ a: Double, _ q: Double, _ angle: Double, _ tolerance: Double) throws {
        let mask = Self.ellipse(a: a, q: q, angle: angle)
        let length = try #require(MaskShape.barLength.measure(mask[...], size: Self.size))
        #expect(Swift.abs(length - a) / a < tolerance, "measured \(length) for a = \(a)")
    }

    @Test(arguments: [(2, 20.0), (2, -12.0), (3, 30.0), (1, 15.0), (4, -40.0)])
    func pitchAngleOfLogarithmicArms(_ m: Int, _ pitch: Double) throws {
        let mask = Self.arms(m: m, pitchDegrees: pitch)
        let measured = try #require(MaskShape.pitchAngle.measure(mask[...], size: Self.size))
        #expect(Swift.abs(measured - Swift.abs(pitch)) <= 1.5, "measured \(measured)° for \(pitch)°, \(m) arms")
    }

    @Test func tooFewPixelsIsNoShapeAndNamesPickTheShape() {
        var mask = [Float](repeating: 0, count: Self.size * Self.size)
        mask[100] = 1; mask[101] = 1
        #expect(MaskShape.barLength.measure(mask[...], size: Self.size) == nil)
        #expect(MaskShape.pitchAngle.measure(mask[...], size: Self.size) == nil)
        #expect(MaskShape.of(mask: "bar_volunteers") == .barLength && MaskShape.of(mask: "spiral") == .pitchAngle)
        #expect(MaskShape.of(mask: "ring") == nil)
    }

    /// On the simulator's exact arm supports of nearly face-on spirals, the measured pitch
    /// follows the pitch the galaxy was drawn with.
    @Test func simulatedFaceOnSpiralsKeepTheirPitch() throws {
        let data = try SimulatedGalaxies(seed: 11, count: 400)
        var errors: [Double] = []
        for i in 0..<data.count {
            let structure = data.simulator.parameters(at: i).structure
            guard structure.armCount > 0, structure.inclination < 30 else { continue }
            let spiral = try #require(try data.example(at: i).masks["spiral"])
            guard let measured = MaskShape.pitchAngle.measure(spiral.pixels[...], size: spiral.width) else { continue }
            errors.append(Swift.abs(measured - structure.pitch))
        }
        #expect(errors.count >= 10, "only \(errors.count) face-on spirals measured")
        let median = MaskShapeScores.median(errors)
        #expect(median < 4, "median |error| \(median)° over \(errors.count) galaxies: \(errors.map { Int($0) })")
    }
}
