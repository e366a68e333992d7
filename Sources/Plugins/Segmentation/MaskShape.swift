import Foundation

/// Shapes read off a mask, the quantities bar and spiral-arm masks are made for: a bar's
/// length and a spiral's pitch angle. Both use the mask's pixels at or above `threshold`
/// on a square plane whose centre is the galaxy's (survey cutouts are centred on it).
enum MaskShape: String, CaseIterable {
    /// Semi-major axis, pixels: that of the uniform ellipse with the mask's second moments
    /// (for an ellipse of semi-major axis a, the variance along it is a²/4).
    case barLength = "bar_length"
    /// Pitch angle, degrees, unsigned: of the logarithmic spiral θ = φ + ln r / tan p that
    /// the mask's pixels follow best, found as the peak of |Σ exp(i m (θ − ln r / tan p))|
    /// over arm counts m = 1…4 and pitches 5°…60° of either handedness (the 2DFFT method
    /// of Davis et al. 2012, on the mask instead of the image).
    case pitchAngle = "pitch_angle"

    /// The shape a mask class measures, from the name of its truth mask: `bar…` is a bar's
    /// length, `spiral…` the arms' pitch angle; nil for any other mask.
    static func of(mask name: String) -> MaskShape? {
        if name.hasPrefix("bar") { return .barLength }
        if name.hasPrefix("spiral") { return .pitchAngle }
        return nil
    }

    /// Fewer pixels than this are not a shape.
    var minimumPixels: Int { self == .barLength ? 4 : 20 }

    /// The shape of `plane` (size × size values, row-major), or nil when too few pixels
    /// reach `threshold`.
    func measure(_ plane: ArraySlice<Float>, size: Int, threshold: Float = 0.5) -> Double? {
        let c = Double(size - 1) / 2
        var xs: [Double] = [], ys: [Double] = []
        for (k, v) in plane.enumerated() where v >= threshold {
            xs.append(Double(k % size) - c)
            ys.append(Double(k / size) - c)
        }
        guard xs.count >= minimumPixels else { return nil }
        switch self {
        case .barLength: return Self.semiMajorAxis(xs, ys)
        case .pitchAngle: return Self.pitch(xs, ys)
        }
    }

    static func semiMajorAxis(_ xs: [Double], _ ys: [Double]) -> Double {
        let n = Double(xs.count)
        let mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
        var sxx = 0.0, syy = 0.0, sxy = 0.0
        for (x, y) in zip(xs, ys) {
            sxx += (x - mx) * (x - mx); syy += (y - my) * (y - my); sxy += (x - mx) * (y - my)
        }
        sxx /= n; syy /= n; sxy /= n
        // The larger eigenvalue of the 2×2 covariance, plus a pixel's own variance (1/12 per
        // axis) that counting pixel centres leaves out.
        let largest = (sxx + syy) / 2 + (((sxx - syy) / 2) * ((sxx - syy) / 2) + sxy * sxy).squareRoot() + 1.0 / 12
        return 2 * largest.squareRoot()
    }

    static let pitchGrid: [Double] = stride(from: 5.0, through: 60.0, by: 0.5).flatMap { [$0, -$0] }

    static func pitch(_ xs: [Double], _ ys: [Double]) -> Double? {
        // The centre's pixels have no direction; leave out the inner two pixels.
        var theta: [Double] = [], logR: [Double] = []
        for (x, y) in zip(xs, ys) {
            let r = (x * x + y * y).squareRoot()
            guard r >= 2 else { continue }
            theta.append(atan2(y, x))
            logR.append(log(r))
        }
        guard theta.count >= MaskShape.pitchAngle.minimumPixels else { return nil }
        var best = (amplitude: -1.0, pitch: 0.0)
        for m in 1...4 {
            let dm = Double(m)
            for p in pitchGrid {
                let k = dm / tan(p * .pi / 180)
                var re = 0.0, im = 0.0
                for j in theta.indices {
                    let phase = dm * theta[j] - k * logR[j]
                    re += cos(phase); im += sin(phase)
                }
                let amplitude = (re * re + im * im).squareRoot()
                if amplitude > best.amplitude { best = (amplitude, p) }
            }
        }
        return abs(best.pitch)
    }
}
