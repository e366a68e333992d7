import Dispatch

/// Throughput of the galaxy simulator on one core: complete examples (render, noise, colour
/// image, truth, votes) per second at the default options (64 px).
public enum SimulatorBenchmark {
    /// Renders `count` examples one after another on the calling thread and returns galaxies
    /// per second. A first pass over a few galaxies warms caches and is not timed.
    public static func run(count: Int, options: SimulatorOptions = SimulatorOptions(), seed: UInt64 = 2024) -> Double {
        guard count > 0, let simulator = try? GalaxySimulator(options: options, seed: seed) else { return 0 }
        var checksum: Float = 0
        for i in 0..<min(8, count) { checksum += simulator.example(at: i).image.pixels[0] }
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<count { checksum += simulator.example(at: i).image.pixels[0] }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        // Using the checksum keeps the optimiser from dropping the work.
        return checksum.isNaN ? 0 : Double(count) / seconds
    }
}
