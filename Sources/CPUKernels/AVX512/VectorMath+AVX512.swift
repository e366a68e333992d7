import PortableKernels

extension VectorMath {
    /// `apply` compiled for AVX-512: call only where the CPU has it.
    public static func applyAVX512(_ f: Function, x: UnsafePointer<Float>, y: UnsafePointer<Float>?,
                                   out: UnsafeMutablePointer<Float>, count: Int) {
        apply(f, x: x, y: y, out: out, count: count)
    }
}
