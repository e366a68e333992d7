import Foundation

/// Drawing a point source straight from the PSF profile.
extension PSF {
    /// The profile's integral over the plane per unit central value: π α²/(β − 1) for a
    /// Moffat, 2π σ² for a Gaussian.
    public var profileIntegral: Double {
        switch kind {
        case .moffat: return Double.pi * moffatAlpha * moffatAlpha / (beta - 1)
        case .gaussian: return 2 * Double.pi * gaussianSigma * gaussianSigma
        }
    }

    /// Adds a point source of total `flux` at (x, y) to `out` (size²): each pixel gets the
    /// untruncated, normalised profile integrated over it (4×4 samples within 1.5 FWHM of the
    /// source, where the profile curves most; its centre elsewhere).
    func addPoint(x: Double, y: Double, flux: Double, into out: UnsafeMutablePointer<Float>, size: Int) {
        let amplitude = Float(flux / profileIntegral)
        let x0 = Float(x), y0 = Float(y)
        let isMoffat = kind == .moffat
        let invA2 = Float(1 / (moffatAlpha * moffatAlpha)), negBeta = Float(-beta)
        let invTwoS2 = Float(1 / (2 * gaussianSigma * gaussianSigma))
        let near = Float(1.5 * fwhm) * Float(1.5 * fwhm)
        @inline(__always)
        func value(_ dx: Float, _ dy: Float) -> Float {
            let r2 = dx * dx + dy * dy
            return isMoffat ? Foundation.pow(1 + r2 * invA2, negBeta) : Foundation.exp(-r2 * invTwoS2)
        }
        for i in 0..<size {
            let dy = Float(i) + 0.5 - y0
            let row = out + i &* size
            for j in 0..<size {
                let dx = Float(j) + 0.5 - x0
                var v: Float
                if dx * dx + dy * dy < near {
                    v = 0
                    for a in 0..<4 {
                        for b in 0..<4 { v += value(dx + (Float(b) - 1.5) * 0.25, dy + (Float(a) - 1.5) * 0.25) }
                    }
                    v *= 1 / 16
                } else {
                    v = value(dx, dy)
                }
                row[j] += amplitude * v
            }
        }
    }
}
