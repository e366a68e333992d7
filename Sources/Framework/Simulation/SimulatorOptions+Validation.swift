/// Range checks on every option, so a bad value fails before any galaxy is drawn and no
/// size taken from a file can make the simulator allocate without bound.
extension SimulatorOptions {
    /// Throws a `SimulatorError` naming the first option out of its allowed range.
    public func validate() throws {
        func check(_ ok: Bool, _ key: CodingKeys, _ message: @autoclosure () -> String) throws {
            if !ok { throw SimulatorError(key: key.stringValue, message: message()) }
        }
        func range(_ r: ClosedRange<Double>, _ key: CodingKeys, within allowed: ClosedRange<Double>, unit: String = "") throws {
            try check(r.lowerBound.isFinite && r.upperBound.isFinite && allowed.contains(r.lowerBound)
                      && allowed.contains(r.upperBound), key,
                      "[\(r.lowerBound), \(r.upperBound)] must lie within [\(allowed.lowerBound), \(allowed.upperBound)]\(unit)")
        }
        try check((16...1024).contains(imageSize), .imageSize, "\(imageSize) must be 16…1024 pixels")
        try check(pixelScale > 0.01 && pixelScale <= 10, .pixelScale, "\(pixelScale) must be in (0.01, 10] arcsec/pixel")
        // Galaxies are modelled as they are today (no evolution, no k-correction): low z only.
        try range(redshift, .redshift, within: 0.005...0.5)
        try range(absoluteMagnitude, .absoluteMagnitude, within: -26 ... -12, unit: " mag")
        try check((10...40).contains(zeroPoint), .zeroPoint, "\(zeroPoint) must be 10…40 mag")
        try check(skyBrightness.count == 3 && skyBrightness.allSatisfy { (14...30).contains($0) }, .skyBrightness,
                  "\(skyBrightness) must be three values (g, r, z) of 14…30 mag/arcsec²")
        try check(readNoise >= 0 && readNoise <= 1000, .readNoise, "\(readNoise) must be 0…1000 counts")
        try range(psfFWHM, .psfFWHM, within: 0.05...20, unit: " arcsec")
        let widest = psfFWHM.upperBound * 1.06 / pixelScale
        try check(widest * psfRadius <= Double(imageSize) / 2, .psfFWHM,
                  "a \(psfFWHM.upperBound)″ PSF spans \(widest) pixels; with psf_radius \(psfRadius) its kernel would be wider than half the \(imageSize)-pixel image")
        try check(psfFWHM.lowerBound / pixelScale >= 0.5, .psfFWHM,
                  "\(psfFWHM.lowerBound)″ is under half a \(pixelScale)″ pixel: the PSF would be undersampled")
        try range(psfBeta, .psfBeta, within: 1.5...20)
        try check(psfRadius >= 1 && psfRadius <= 5, .psfRadius, "\(psfRadius) must be 1…5 FWHM")
        let m = morphologies
        let weights = [("elliptical", m.elliptical), ("disk", m.disk), ("edge_on", m.edgeOn), ("artifact", m.artifact)]
        for (name, w) in weights where !(w >= 0 && w.isFinite) {
            throw SimulatorError(key: "morphologies.\(name)", message: "\(w) must be a non-negative weight")
        }
        try check(weights.map(\.1).reduce(0, +) > 0, .morphologies, "at least one morphology needs a positive weight")
        let f = features
        for (name, p) in [("bar", f.bar), ("spiral", f.spiral), ("ring", f.ring), ("clumps", f.clumps),
                          ("merger", f.merger), ("disturbance", f.disturbance), ("stars", f.stars)] where !(0...1).contains(p) {
            throw SimulatorError(key: "features.\(name)", message: "\(p) must be a probability in [0, 1]")
        }
        try check(volunteers.lowerBound >= 1 && volunteers.upperBound <= 100_000, .volunteers,
                  "[\(volunteers.lowerBound), \(volunteers.upperBound)] must lie within [1, 100000]")
        try check(rgbScales.count == 3 && rgbScales.allSatisfy { $0 > 0 && $0.isFinite }, .rgbScales,
                  "\(rgbScales) must be three positive multipliers (g, r, z)")
        try check(rgbStretch > 0 && rgbStretch.isFinite, .rgbStretch, "\(rgbStretch) must be positive")
        try check(maskThreshold > 0 && maskThreshold < 1, .maskThreshold, "\(maskThreshold) must be in (0, 1)")
        try check((0...100).contains(maskVolunteers), .maskVolunteers, "\(maskVolunteers) must be 0…100 volunteers")
    }
}
