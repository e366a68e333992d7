import Foundation

/// Logarithmic spiral arms in a disk plane: arm k follows `θ(r) = φ0 + 2πk/m + ln(r/r0)/tan(pitch)`,
/// the brightness across an arm is `exp(−(Δθ/w)^p)` of the wrapped angular distance Δθ to the
/// nearest arm, under an exponential envelope that fades inside `innerRadius`.
///
/// The sign of `pitch` sets the handedness (S or Z); |pitch| sets the winding (tight < 13°,
/// loose > 22°).
public struct SpiralArms: Codable, Equatable, Sendable {
    /// The disk the arms lie in.
    public var plane: DiskPlane
    /// Number of arms m (≥ 1), 2π/m apart.
    public var count: Int
    /// Pitch angle in radians; its sign is the handedness.
    public var pitch: Double
    /// Angle of arm 0 at `referenceRadius`, radians in the disk plane.
    public var phase: Double
    /// Radius r0 where arm 0 is at `phase`, in-plane pixels.
    public var referenceRadius: Double
    /// Angular half-width w of an arm, radians.
    public var width: Double
    /// Profile exponent p (2 is Gaussian, larger is flatter-topped).
    public var sharpness: Double
    /// Scale length of the exponential envelope, in-plane pixels.
    public var scaleLength: Double
    /// Radius inside which the arms fade out (the bulge or bar), in-plane pixels.
    public var innerRadius: Double

    public init(plane: DiskPlane, count: Int, pitch: Double, phase: Double, referenceRadius: Double, width: Double,
                sharpness: Double, scaleLength: Double, innerRadius: Double) {
        self.plane = plane
        self.count = count
        self.pitch = pitch
        self.phase = phase
        self.referenceRadius = referenceRadius
        self.width = width
        self.sharpness = sharpness
        self.scaleLength = scaleLength
        self.innerRadius = innerRadius
    }

    /// Precomputed constants for evaluating many pixels.
    struct Evaluator {
        let p: DiskPlane.Projector
        let phase: Float, logR0: Float, invTanPitch: Float, period: Float, invPeriod: Float
        let invWidth: Float, sharpness: Float, gaussian: Bool, invScale: Float, invInner2: Float

        init(_ arms: SpiralArms) {
            p = arms.plane.projector
            phase = Float(arms.phase)
            logR0 = Float(log(arms.referenceRadius))
            invTanPitch = Float(1 / tan(arms.pitch))
            period = Float(2 * Double.pi / Double(arms.count))
            invPeriod = 1 / period
            invWidth = Float(1 / arms.width)
            sharpness = Float(arms.sharpness)
            gaussian = arms.sharpness == 2
            invScale = Float(1 / arms.scaleLength)
            invInner2 = Float(1 / (arms.innerRadius * arms.innerRadius))
        }

        /// The arm brightness (envelope peak ≈ 1) at image point (x, y).
        @inline(__always)
        func value(_ x: Float, _ y: Float) -> Float {
            let (u, v) = p.project(x, y)
            let r2 = u * u + v * v
            guard r2 > 1e-6 else { return 0 }
            let r = r2.squareRoot()
            let theta = FastMath.atan2(v, u)
            var d = theta - phase - (0.5 * Foundation.log(r2) - logR0) * invTanPitch
            d -= period * (d * invPeriod).rounded()          // wrapped distance to the nearest arm
            let t = abs(d) * invWidth
            let across = gaussian ? Foundation.exp(-t * t) : Foundation.exp(-Foundation.pow(t, sharpness))
            let envelope = Foundation.exp(-r * invScale) * (1 - Foundation.exp(-r2 * invInner2))
            return across * envelope
        }
    }

    /// Fills `out` (zeroed) with the arms sampled at pixel centres, scaled to `flux` over
    /// the canvas.
    func render(flux: Double, into out: UnsafeMutablePointer<Float>, canvas: RenderCanvas) {
        let e = Evaluator(self)
        let size = canvas.size
        for i in 0..<size {
            let y = canvas.centre(i)
            let row = out + i &* size
            for j in 0..<size { row[j] = e.value(canvas.centre(j), y) }
        }
        ComponentShape.normalise(out, rows: 0..<size, cols: 0..<size, size: size, to: flux)
    }
}
