/// One measured workload: its throughput and the process's peak memory.
public struct BenchmarkResult: Codable, Sendable {
    public var name: String
    /// What the number counts: "images/s", "GFLOP/s", "galaxies/s".
    public var unit: String
    /// Median over the timed iterations.
    public var median: Double
    public var min: Double
    public var max: Double
    public var iterations: Int
    /// Peak resident set of the process that ran it, in MB (each workload runs in a fresh
    /// process, as the PyTorch reference does).
    public var peakRSSMB: Double?
    public var detail: String

    public init(name: String, unit: String, samples: [Double], detail: String = "") {
        let s = samples.sorted()
        self.name = name
        self.unit = unit
        self.median = s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
        self.min = s.first ?? 0
        self.max = s.last ?? 0
        self.iterations = s.count
        self.detail = detail
    }
}
