// swift-tools-version:6.0
import PackageDescription

// The AVX-512 kernels are compiled for AVX-512 and optimised even in debug builds (tests run
// them, and unoptimised SIMD code is ~100× slower); Framework calls them only after checking
// the CPU (Sources/Framework/Kernels/CPUFeatures.swift).
#if arch(x86_64)
let avx512Settings: [SwiftSetting] = [.unsafeFlags(["-O", "-target-cpu", "skylake-avx512"])]
#else
let avx512Settings: [SwiftSetting] = []
#endif

let package = Package(
    name: "zoorun",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "zoorun", targets: ["Runner"]),
        .library(name: "Framework", targets: ["Framework"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // One system-library module per C library; each is imported by exactly one Swift file.
        .systemLibrary(name: "COpenBLAS", path: "Sources/CLibraries/COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CFITSIO", path: "Sources/CLibraries/CFITSIO", pkgConfig: "cfitsio",
                       providers: [.apt(["libcfitsio-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CLibraries/CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", path: "Sources/CLibraries/CJPEG",
                       providers: [.apt(["libjpeg62-turbo-dev"])]),
        // Kernels every CPU may run, compiled for the baseline target: code that a caller without
        // AVX-512 reaches must never be emitted in the AVX-512 module.
        .target(name: "PortableKernels", path: "Sources/CPUKernels/Portable"),
        .target(name: "AVX512Kernels", dependencies: ["PortableKernels"], path: "Sources/CPUKernels/AVX512",
                swiftSettings: avx512Settings),
        .target(
            name: "Framework",
            dependencies: [
                "PortableKernels", "AVX512Kernels", "COpenBLAS", "CFITSIO", "CPNG", "CJPEG",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Plugins: each depends only on Framework; Sources/Runner lists them all.
        .target(name: "ClassifierPlugin", dependencies: ["Framework"], path: "Sources/Plugins/Classifier"),
        .target(name: "SegmentationPlugin", dependencies: ["Framework"], path: "Sources/Plugins/Segmentation"),
        .target(name: "DetectionPlugin", dependencies: ["Framework"], path: "Sources/Plugins/Detection"),
        .target(name: "GANPlugin", dependencies: ["Framework"], path: "Sources/Plugins/GAN"),
        .executableTarget(
            name: "Runner",
            dependencies: [
                "Framework",
                "ClassifierPlugin",
                "SegmentationPlugin",
                "DetectionPlugin",
                "GANPlugin",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers every test target shares: temporary folders, gradient checks, Float64
        // references, a registry with the simulator and the built-in backbones.
        .target(name: "TestSupport", dependencies: ["Framework"], path: "Tests/TestSupport"),
        .testTarget(
            name: "FrameworkTests",
            dependencies: ["Framework", "TestSupport"],
            // Binary test inputs, read through #filePath rather than bundled as resources.
            exclude: ["Fixtures"]
        ),
        // One test target per plugin.
        .testTarget(name: "ClassifierTests", dependencies: ["Framework", "ClassifierPlugin", "TestSupport"]),
        .testTarget(name: "SegmentationTests", dependencies: ["Framework", "SegmentationPlugin", "TestSupport"]),
        // The torchvision fixtures are read through #filePath, like FrameworkTests'.
        .testTarget(name: "DetectionTests", dependencies: ["Framework", "DetectionPlugin", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "GANTests", dependencies: ["Framework", "GANPlugin", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
