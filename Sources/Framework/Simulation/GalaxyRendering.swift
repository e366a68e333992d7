/// One rendered galaxy: its images, the maps behind them and its completed truth.
public struct GalaxyRendering: Sendable {
    /// The galaxy with visibility, answer probabilities and clump boxes filled in.
    public var galaxy: SimulatedGalaxy
    /// 3×S×S colour image in [0, 1] (z → R, r → G, g → B).
    public var rgb: Image
    /// 3×S×S sky-subtracted g, r, z in nanomaggies, with noise and defects.
    public var bands: Image
    /// 3×S×S g, r, z in nanomaggies after the PSF, without noise or defects.
    public var noiseless: Image
    /// The noiseless scene: per-role pre-PSF maps in r-band counts.
    public var scene: Scene.Rendering
    /// `bar`, `spiral` (1×S×S support masks, 0/1) and `bar_fraction`, `spiral_fraction`
    /// (the component's share of all light per pixel), from the noiseless pre-PSF maps.
    public var masks: [String: Image]
}
