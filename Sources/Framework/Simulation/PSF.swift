import Foundation

/// A point-spread function: Moffat `(1 + r²/α²)^(−β)` (ground-based seeing, β 2.5–4.8) or
/// Gaussian, sampled on a square kernel that sums to 1 so that convolution conserves flux.
///
/// The kernel is cut to a disc of `radius` pixels (the far Moffat wings hold a few per cent
/// of the light; a disc rather than a square keeps bright stars round) and renormalised;
/// each kernel pixel is the average of 5×5 samples of the profile.
public struct PSF: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case moffat, gaussian
    }

    public var kind: Kind
    /// Full width at half maximum, in pixels.
    public var fwhm: Double
    /// Moffat β (unused by a Gaussian).
    public var beta: Double
    /// Kernel half-width in pixels: the kernel is (2·radius + 1)².
    public var radius: Int

    /// A PSF whose kernel reaches `radiusInFWHM` FWHMs from the centre (at least 1 pixel).
    public init(kind: Kind, fwhm: Double, beta: Double = 3.5, radiusInFWHM: Double = 2) {
        self.kind = kind
        self.fwhm = fwhm
        self.beta = beta
        self.radius = max(1, Int((radiusInFWHM * fwhm).rounded(.up)))
    }

    /// Side of the kernel.
    public var width: Int { 2 * radius + 1 }

    /// Moffat α from FWHM and β.
    public var moffatAlpha: Double { fwhm / (2 * (pow(2, 1 / beta) - 1).squareRoot()) }

    /// Gaussian σ from FWHM.
    public var gaussianSigma: Double { fwhm / (2 * (2 * log(2.0)).squareRoot()) }

    /// The unnormalised profile at squared radius r² (pixels²); 1 at the centre.
    public func profile(r2: Double) -> Double {
        switch kind {
        case .moffat:
            let a = moffatAlpha
            return pow(1 + r2 / (a * a), -beta)
        case .gaussian:
            let s = gaussianSigma
            return exp(-r2 / (2 * s * s))
        }
    }

    /// The kernel, row-major (width × width, zero outside the disc), summing to 1.
    public func kernel() -> [Float] {
        let w = width, r = radius, sub = 5
        var values = [Double](repeating: 0, count: w * w)
        // The profile is symmetric under x ↔ −x, y ↔ −y and x ↔ y: integrate one octant.
        for ky in 0...r {
            for kx in ky...r where kx * kx + ky * ky <= r * r {
                var sum = 0.0
                for a in 0..<sub {
                    let y = Double(ky) + (Double(a) + 0.5) / Double(sub) - 0.5
                    for b in 0..<sub {
                        let x = Double(kx) + (Double(b) + 0.5) / Double(sub) - 0.5
                        sum += profile(r2: x * x + y * y)
                    }
                }
                let v = sum / Double(sub * sub)
                for (dx, dy) in [(kx, ky), (ky, kx)] {
                    for sx in [dx, -dx] {
                        for sy in [dy, -dy] { values[(sy + r) * w + sx + r] = v }
                    }
                }
            }
        }
        let total = values.reduce(0, +)
        return values.map { Float($0 / total) }
    }
}
