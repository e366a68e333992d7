/// Converting little-endian element bytes to and from `Float`.
extension SafeTensorsDType {
    /// Widens (or, for F64, narrows) every element of `raw` to Float.
    ///
    /// `raw.count` must be a multiple of `byteSize`; the header validation guarantees it.
    func decode(_ raw: UnsafeRawBufferPointer) -> [Float] {
        let count = raw.count / byteSize
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            switch self {
            case .F64:
                for i in 0..<count { out[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self)))) }
            case .F32:
                for i in 0..<count { out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))) }
            case .F16:
                for i in 0..<count { out[i] = Float(halfBits: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self))) }
            case .BF16:
                for i in 0..<count { out[i] = Float(bfloat16Bits: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self))) }
            case .I64:
                for i in 0..<count { out[i] = Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 8, as: Int64.self))) }
            case .I32:
                for i in 0..<count { out[i] = Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 4, as: Int32.self))) }
            case .I16:
                for i in 0..<count { out[i] = Float(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 2, as: Int16.self))) }
            case .I8:
                for i in 0..<count { out[i] = Float(Int8(bitPattern: raw[i])) }
            case .U8:
                for i in 0..<count { out[i] = Float(raw[i]) }
            case .BOOL:
                for i in 0..<count { out[i] = raw[i] == 0 ? 0 : 1 }
            }
            initialized = count
        }
    }

    /// The little-endian bytes of `values` in this type, for the `isWritable` types.
    func encode(_ values: [Float]) throws(EncodingFailure) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: values.count &* byteSize)
        var failure: EncodingFailure?
        bytes.withUnsafeMutableBytes { out in
            switch self {
            case .F32:
                for (i, v) in values.enumerated() {
                    out.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: i &* 4, as: UInt32.self)
                }
            case .I64:
                for (i, v) in values.enumerated() {
                    guard let n = Int64(exactly: v) else {
                        failure = .unrepresentable(index: i, value: v)
                        return
                    }
                    out.storeBytes(of: n.littleEndian, toByteOffset: i &* 8, as: Int64.self)
                }
            default:
                failure = .unsupportedType
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Why `encode` could not produce bytes.
    enum EncodingFailure: Error {
        /// Only F32 and I64 are written.
        case unsupportedType
        /// An integer type cannot hold this value exactly (fractional, NaN, infinite or too large).
        case unrepresentable(index: Int, value: Float)
    }
}
