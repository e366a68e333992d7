/// The benchmark network of `../shared/bench/torch_reference.py` ("zoobot_like"): three
/// VGG-style blocks [conv3×3–BN–ReLU ×2, maxpool 2] of 32, 64 and 128 channels, global
/// average pool, Linear(128,128)–ReLU–Dropout(0.5)–Linear(128, classes). Same layer order,
/// so its state_dict keys are the Python `nn.Sequential`'s (`0.weight`, `1.running_mean`, …).
public enum ZoobotLike {
    public static func make(inChannels: Int = 3, numClasses: Int = 10, rng: inout RandomGenerator) -> Sequential {
        var layers: [any Layer] = []
        var cin = inChannels
        for c in [32, 64, 128] {
            layers += [Conv2d(cin, c, kernel: 3, padding: 1, bias: false, rng: &rng), BatchNorm2d(c), Activation(.relu),
                       Conv2d(c, c, kernel: 3, padding: 1, bias: false, rng: &rng), BatchNorm2d(c), Activation(.relu),
                       Pool(.max(kernel: 2, stride: 2, padding: 0))]
            cin = c
        }
        layers += [Pool(.adaptiveAverage(outputSize: 1)), Pool(.flatten), Linear(128, 128, rng: &rng), Activation(.relu), Dropout(0.5),
                   Linear(128, numClasses, rng: &rng)]
        return Sequential(layers)
    }
}
