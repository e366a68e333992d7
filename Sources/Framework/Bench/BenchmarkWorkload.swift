import Foundation

/// A named benchmark: what `zoorun bench` runs, each in its own process.
public struct BenchmarkWorkload: Sendable {
    public var name: String
    public var summary: String
    /// Runs the workload (warmup included) and returns its result.
    public var run: @Sendable () throws -> BenchmarkResult

    public init(name: String, summary: String, run: @escaping @Sendable () throws -> BenchmarkResult) {
        self.name = name
        self.summary = summary
        self.run = run
    }

    /// Seconds taken by each of `iterations` calls after `warmup` untimed ones.
    public static func time(warmup: Int, iterations: Int, _ body: () throws -> Void) rethrows -> [Double] {
        for _ in 0..<warmup { try body() }
        var samples: [Double] = []
        for _ in 0..<iterations {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        return samples
    }

    /// Peak resident set size of this process so far, in MB.
    public static func peakRSSMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
