/// Exact widening of the 16-bit float formats that checkpoints are stored in.
extension Float {
    /// The IEEE 754 binary16 value with these bits, widened exactly (every half is a float).
    ///
    /// Subnormal halves become normal floats, infinities stay infinite and NaNs keep their
    /// sign and payload (shifted into the top of the float's significand).
    @inline(__always)
    public init(halfBits bits: UInt16) {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x03FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2⁻²⁴, exact in Float's wider exponent range.
            let magnitude = Float(sign: .plus, exponent: -24, significand: Float(mantissa))
            self = sign == 0 ? magnitude : -magnitude
        case 0x1F:
            self = Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            // Rebias the exponent from 15 to 127; the mantissa gains 13 low zero bits.
            self = Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
        }
    }

    /// The bfloat16 value with these bits: the top half of a float, so widening is a shift.
    @inline(__always)
    public init(bfloat16Bits bits: UInt16) {
        self = Float(bitPattern: UInt32(bits) << 16)
    }
}
