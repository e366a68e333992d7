/// The element types a safetensors file may declare, spelled as the format spells them.
///
/// Every type can be read (converted to `Float`); `F32` and `I64` can also be written, which
/// covers PyTorch state dicts: float parameters and buffers plus `num_batches_tracked`.
public enum SafeTensorsDType: String, CaseIterable, Sendable {
    case F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .F64, .I64: return 8
        case .F32, .I32: return 4
        case .F16, .BF16, .I16: return 2
        case .I8, .U8, .BOOL: return 1
        }
    }

    /// Whether `SafeTensors.write` can store this type.
    public var isWritable: Bool { self == .F32 || self == .I64 }
}
