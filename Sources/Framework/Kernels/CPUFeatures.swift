import Foundation

/// What the CPU running us can execute, read once from the kernel's view of it.
///
/// The AVX-512 kernels are compiled for `skylake-avx512`, so they may run only where every
/// feature of that target is present; Linux lists them in `/proc/cpuinfo` only when the
/// processor has them and the kernel saves their registers.
public enum CPUFeatures {
    /// The flags the `skylake-avx512` code generation may use beyond x86-64's baseline.
    static let avx512Requirements = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl",
                                     "avx2", "fma", "bmi2", "f16c", "movbe", "popcnt"]

    /// The `flags` of the first processor in `/proc/cpuinfo` (empty where there is none).
    static let flags: Set<String> = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return [] }
        for line in text.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }()

    /// Whether the AVX-512 kernels can run here. `ZOO_CPU=baseline` says no on any CPU, so
    /// that the portable kernels (what CPUs without AVX-512 run) can be tested and compared
    /// on this one.
    public static let hasAVX512: Bool = ProcessInfo.processInfo.environment["ZOO_CPU"] != "baseline"
        && avx512Requirements.allSatisfy { flags.contains($0) }
}
