/// GZ3D-style volunteer masks beside the exact ones (`SimulatorOptions.maskVolunteers`).
extension GalaxySimulator {
    static let maskVolunteerSalt: UInt64 = 0x706F_6C79_6721_0003

    /// `masks` with `bar_volunteers` and `spiral_volunteers` added when volunteers are
    /// simulated; unchanged otherwise. Each galaxy has its own random stream, so adding the
    /// option changes no other output.
    func volunteerMasks(_ masks: [String: Image], of galaxy: SimulatedGalaxy) -> [String: Image] {
        guard options.maskVolunteers > 0 else { return masks }
        var out = masks
        var rng = RandomGenerator(seed: seed ^ Self.maskVolunteerSalt, stream: UInt64(galaxy.index))
        for (name, visibility) in [("bar", galaxy.visibility.bar), ("spiral", galaxy.visibility.arms)] {
            guard let support = masks[name] else { continue }
            out[name + "_volunteers"] = VolunteerMasks.draw(support: support, visibility: visibility,
                                                            volunteers: options.maskVolunteers, rng: &rng)
        }
        return out
    }
}
