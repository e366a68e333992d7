/// One named tensor as stored in a safetensors file, with its values widened to Float.
///
/// `dtype` remembers how the tensor was (or will be) stored, so that integer buffers such as
/// BatchNorm's `num_batches_tracked` go back to disk as I64.
public struct SafeTensorsEntry: Sendable, Equatable {
    /// The state_dict key, e.g. `layer1.0.conv1.weight`.
    public var name: String
    public var dtype: SafeTensorsDType
    public var shape: [Int]
    /// The elements in row-major order.
    public var values: [Float]

    public init(name: String, dtype: SafeTensorsDType = .F32, shape: [Int], values: [Float]) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.values = values
    }

    /// An entry holding a copy of a tensor's values.
    public init(name: String, dtype: SafeTensorsDType = .F32, tensor: Tensor) {
        self.init(name: name, dtype: dtype, shape: tensor.shape, values: tensor.storage)
    }
}
