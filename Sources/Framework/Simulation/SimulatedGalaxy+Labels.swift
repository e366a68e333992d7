/// Scalar labels for `Example.labels`.
extension SimulatedGalaxy {
    /// `ring` (0/1), `has_bar` (0/1), `bar` (0 none, 1 weak, 2 strong), `arms` (count, 0 for
    /// none), `winding` (0 tight, 1 medium, 2 loose, −1 without arms), `merger` (0 none …
    /// 3 merger, the GZ `merging` order), `edge_on` (0/1), `artifact` (0/1), `morphology`
    /// (0 elliptical, 1 disk, 2 edge-on, 3 artifact), `bulge_to_total`, `axis_ratio`,
    /// `clumps` (count), `stars` (count), `redshift`.
    public var labels: [String: Float] {
        let s = structure
        return [
            "ring": s.ring ? 1 : 0,
            "has_bar": s.hasBar ? 1 : 0,
            "bar": s.hasBar ? (s.isStrongBar ? 2 : 1) : 0,
            "arms": Float(s.armCount),
            "winding": s.winding.map { Float($0.rawValue) } ?? -1,
            "merger": Float(s.merger.rawValue),
            "edge_on": s.morphology == .edgeOn ? 1 : 0,
            "artifact": s.morphology == .artifact ? 1 : 0,
            "morphology": Float(Morphology.allCases.firstIndex(of: s.morphology) ?? 0),
            "bulge_to_total": Float(s.bulgeToTotal),
            "axis_ratio": Float(s.axisRatio),
            "clumps": Float(s.clumpCount),
            "stars": Float(s.starCount),
            "redshift": Float(redshift),
        ]
    }
}
