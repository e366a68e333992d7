import Foundation

/// Distances in a flat ΛCDM universe (H0 = 70 km/s/Mpc, Ωm = 0.3), which turn the
/// redshift-like parameter z_eff into apparent sizes and fluxes.
///
/// Sizes shrink as 1/D_A(z) and fluxes dim as 1/D_L(z)², so surface brightness falls as
/// (1 + z)^−4 (Tolman dimming) while galaxies shrink towards the fixed PSF and pixel grid:
/// distant galaxies lose their arms and bars first, as in real surveys. Colours are not
/// k-corrected and galaxies do not evolve, which is why z_eff is limited to z ≤ 0.5.
public enum Cosmology {
    /// Hubble distance c/H0 in Mpc.
    public static let hubbleDistance = 299_792.458 / 70
    public static let matterDensity = 0.3

    /// Line-of-sight comoving distance in Mpc: c/H0 ∫ dz/E(z) by Simpson's rule.
    public static func comovingDistance(_ z: Double) -> Double {
        let steps = 64, h = z / Double(steps)
        func inverseE(_ x: Double) -> Double {
            1 / (matterDensity * pow(1 + x, 3) + (1 - matterDensity)).squareRoot()
        }
        var sum = inverseE(0) + inverseE(z)
        for k in 1..<steps { sum += (k % 2 == 1 ? 4 : 2) * inverseE(Double(k) * h) }
        return hubbleDistance * sum * h / 3
    }

    /// Angular-diameter distance in Mpc.
    public static func angularDiameterDistance(_ z: Double) -> Double { comovingDistance(z) / (1 + z) }

    /// Luminosity distance in Mpc.
    public static func luminosityDistance(_ z: Double) -> Double { comovingDistance(z) * (1 + z) }

    /// Distance modulus m − M.
    public static func distanceModulus(_ z: Double) -> Double { 5 * log10(luminosityDistance(z) * 1e5) }

    /// Arcseconds subtended by one kiloparsec at redshift z.
    public static func arcsecPerKpc(_ z: Double) -> Double { 206_264.806 / (angularDiameterDistance(z) * 1000) }
}
