// Conv2DTests: conv2d (im2col + GEMM, pointwise, depthwise) forward and backward vs naive loops and finite differences.
import Testing
@testable import NASCKernels

/// A named convolution geometry for parameterized tests.
struct ConvCase: Sendable, CustomTestStringConvertible {
    var name: String
    var shape: Conv2DShape
    var bias: Bool
    var testDescription: String { name }
}

let convCases: [ConvCase] = [
    ConvCase(name: "3x3 batch 3 odd sizes", shape: Conv2DShape(batch: 3, inChannels: 3, inHeight: 7, inWidth: 5,
                                                              outChannels: 4, kernel: (3, 3)), bias: true),
    ConvCase(name: "stride 2 padding 1", shape: Conv2DShape(batch: 2, inChannels: 2, inHeight: 9, inWidth: 8, outChannels: 3,
                                                            kernel: (3, 3), stride: (2, 2), padding: (1, 1)), bias: true),
    ConvCase(name: "dilation 2", shape: Conv2DShape(batch: 2, inChannels: 3, inHeight: 9, inWidth: 9, outChannels: 2,
                                                    kernel: (3, 3), padding: (2, 2), dilation: (2, 2)), bias: false),
    ConvCase(name: "groups 2 rect kernel", shape: Conv2DShape(batch: 3, inChannels: 4, inHeight: 6, inWidth: 7, outChannels: 6,
                                                              kernel: (3, 2), stride: (1, 2), padding: (1, 0), groups: 2),
             bias: true),
    ConvCase(name: "depthwise 3x3", shape: Conv2DShape(batch: 3, inChannels: 4, inHeight: 8, inWidth: 7, outChannels: 4,
                                                       kernel: (3, 3), padding: (1, 1), groups: 4), bias: true),
    ConvCase(name: "depthwise 5x5 stride 2 multiplier 2", shape: Conv2DShape(batch: 2, inChannels: 3, inHeight: 9, inWidth: 9,
                                                                             outChannels: 6, kernel: (5, 5), stride: (2, 2),
                                                                             padding: (2, 2), groups: 3), bias: false),
    ConvCase(name: "depthwise dilation 2", shape: Conv2DShape(batch: 1, inChannels: 2, inHeight: 7, inWidth: 8, outChannels: 2,
                                                              kernel: (3, 3), stride: (1, 2), padding: (2, 1),
                                                              dilation: (2, 2), groups: 2), bias: true),
    ConvCase(name: "pointwise 1x1", shape: Conv2DShape(batch: 2, inChannels: 5, inHeight: 5, inWidth: 4, outChannels: 3,
                                                       kernel: (1, 1)), bias: true),
    ConvCase(name: "1x1 stride 2", shape: Conv2DShape(batch: 2, inChannels: 3, inHeight: 7, inWidth: 7, outChannels: 2,
                                                      kernel: (1, 1), stride: (2, 2)), bias: false),
    ConvCase(name: "pointwise groups 2", shape: Conv2DShape(batch: 2, inChannels: 4, inHeight: 3, inWidth: 5, outChannels: 6,
                                                            kernel: (1, 1), groups: 2), bias: true),
    ConvCase(name: "rect stride 3x2 dilation 1x2", shape: Conv2DShape(batch: 1, inChannels: 2, inHeight: 5, inWidth: 11,
                                                                      outChannels: 3, kernel: (2, 4), stride: (3, 2),
                                                                      padding: (1, 2), dilation: (1, 2)), bias: true),
    ConvCase(name: "padding wider than kernel", shape: Conv2DShape(batch: 1, inChannels: 1, inHeight: 4, inWidth: 4,
                                                                   outChannels: 2, kernel: (3, 3), padding: (3, 3)), bias: true),
] + directConvCases

/// Geometries the direct (no im2col) kernels take: stride 1, groups 1, channels multiples of 4, widths multiples of 8.
let directConvCases: [ConvCase] = [
    ConvCase(name: "direct 3x3 pad 1 width 8", shape: Conv2DShape(batch: 2, inChannels: 4, inHeight: 5, inWidth: 8, outChannels: 8,
                                                                  kernel: (3, 3), padding: (1, 1)), bias: true),
    ConvCase(name: "direct 3x3 pad 1 width 24", shape: Conv2DShape(batch: 1, inChannels: 8, inHeight: 3, inWidth: 24,
                                                                   outChannels: 4, kernel: (3, 3), padding: (1, 1)), bias: true),
    ConvCase(name: "direct forward only: 3x3 valid, 10 -> 8 wide", shape: Conv2DShape(batch: 2, inChannels: 8, inHeight: 4,
                                                                                      inWidth: 10, outChannels: 4, kernel: (3, 3)),
             bias: true),
    ConvCase(name: "direct 5x5 pad 2 width 16", shape: Conv2DShape(batch: 2, inChannels: 4, inHeight: 4, inWidth: 16,
                                                                   outChannels: 4, kernel: (5, 5), padding: (2, 2)), bias: false),
    // 3x3 forward tiles of 3 vectors then a recomputed partial block (26 = 24 + 2), 8 output channels (two blocks).
    ConvCase(name: "direct forward only: 3x3 valid, 28 -> 26 wide", shape: Conv2DShape(batch: 2, inChannels: 3, inHeight: 5,
                                                                                        inWidth: 28, outChannels: 8, kernel: (3, 3)),
             bias: true),
    // 7x7 weight gradient: tiles of 2 kernel columns and a last single column (7 = 2 + 2 + 2 + 1).
    ConvCase(name: "direct 7x7 pad 3 width 8", shape: Conv2DShape(batch: 2, inChannels: 4, inHeight: 3, inWidth: 8,
                                                                  outChannels: 4, kernel: (7, 7), padding: (3, 3)), bias: true),
]

/// Runs the kernels' forward and all backward passes for one case.
struct ConvRun {
    var y: [Float]
    var gx: [Float]
    var gw: [Float]
    var gb: [Float]

    init(_ c: ConvCase, x: [Float], w: [Float], b: [Float]?, gy: [Float]) {
        let s = c.shape
        var ws = [Float](repeating: .nan, count: max(Conv2D.workspaceSize(s), 1))
        var y = [Float](repeating: .nan, count: s.outputCount)
        withOptionalPointer(b) { bp in
            Conv2D.forward(shape: s, input: x, weight: w, bias: bp, output: &y, workspace: &ws)
        }
        var gx = [Float](repeating: .nan, count: s.inputCount)
        var gw = [Float](repeating: .nan, count: s.weightCount)
        var gb = [Float](repeating: .nan, count: s.outChannels)
        Conv2D.backwardInput(shape: s, gradOutput: gy, weight: w, gradInput: &gx, workspace: &ws)
        Conv2D.backwardWeight(shape: s, input: x, gradOutput: gy, gradWeight: &gw, workspace: &ws)
        Conv2D.backwardBias(shape: s, gradOutput: gy, gradBias: &gb)
        self.y = y; self.gx = gx; self.gw = gw; self.gb = gb
    }
}

@Suite struct Conv2DTests {
    @Test(arguments: convCases) func forwardAndBackwardMatchNaive(_ c: ConvCase) {
        let s = c.shape
        #expect(s.isValid)
        var rng = TestRNG(seed: 42)
        let x = rng.floats(s.inputCount), w = rng.floats(s.weightCount, scale: 0.5)
        let b = c.bias ? rng.floats(s.outChannels) : nil
        let gy = rng.floats(s.outputCount)
        let run = ConvRun(c, x: x, w: w, b: b, gy: gy)
        expectClose(run.y, Ref.conv2d(s, x: doubles(x), w: doubles(w), b: b.map(doubles)), "\(c.name) forward")
        let ref = Ref.conv2dBackward(s, x: doubles(x), w: doubles(w), gy: doubles(gy))
        expectClose(run.gx, ref.gx, "\(c.name) grad input")
        expectClose(run.gw, ref.gw, "\(c.name) grad weight")
        expectClose(run.gb, ref.gb, "\(c.name) grad bias")
    }

    @Test(arguments: convCases) func backwardMatchesFiniteDifferences(_ c: ConvCase) {
        let s = c.shape
        var rng = TestRNG(seed: 7)
        let x = rng.floats(s.inputCount), w = rng.floats(s.weightCount, scale: 0.5)
        let b = rng.floats(s.outChannels), gy = rng.floats(s.outputCount)
        let run = ConvRun(c, x: x, w: w, b: b, gy: gy)
        let xd = doubles(x), wd = doubles(w), bd = doubles(b), gyd = doubles(gy)
        let fdX = numericGradient(xd) { dot(Ref.conv2d(s, x: $0, w: wd, b: bd), gyd) }
        let fdW = numericGradient(wd) { dot(Ref.conv2d(s, x: xd, w: $0, b: bd), gyd) }
        let fdB = numericGradient(bd) { dot(Ref.conv2d(s, x: xd, w: wd, b: $0), gyd) }
        expectClose(run.gx, fdX, "\(c.name) grad input vs FD")
        expectClose(run.gw, fdW, "\(c.name) grad weight vs FD")
        expectClose(run.gb, fdB, "\(c.name) grad bias vs FD")
    }

    @Test(arguments: convCases) func backwardAccumulates(_ c: ConvCase) {
        let s = c.shape
        var rng = TestRNG(seed: 9)
        let x = rng.floats(s.inputCount), w = rng.floats(s.weightCount), gy = rng.floats(s.outputCount)
        let gx0 = rng.floats(s.inputCount), gw0 = rng.floats(s.weightCount), gb0 = rng.floats(s.outChannels)
        var ws = [Float](repeating: 0, count: max(Conv2D.workspaceSize(s), 1))
        var gx = gx0, gw = gw0, gb = gb0
        Conv2D.backwardInput(shape: s, gradOutput: gy, weight: w, gradInput: &gx, workspace: &ws, accumulate: true)
        Conv2D.backwardWeight(shape: s, input: x, gradOutput: gy, gradWeight: &gw, workspace: &ws, accumulate: true)
        Conv2D.backwardBias(shape: s, gradOutput: gy, gradBias: &gb, accumulate: true)
        let ref = Ref.conv2dBackward(s, x: doubles(x), w: doubles(w), gy: doubles(gy))
        expectClose(gx, zip(gx0, ref.gx).map { Double($0) + $1 }, "\(c.name) accumulated grad input")
        expectClose(gw, zip(gw0, ref.gw).map { Double($0) + $1 }, "\(c.name) accumulated grad weight")
        expectClose(gb, zip(gb0, ref.gb).map { Double($0) + $1 }, "\(c.name) accumulated grad bias")
    }

    @Test func directKernelsAreUsedOnlyWhereTheyApply() {
        for c in directConvCases { #expect(DirectConv2D.supportsForward(c.shape), "\(c.name)") }
        for c in convCases.dropLast(directConvCases.count) {
            #expect(!DirectConv2D.supportsForward(c.shape) && !DirectConv2D.supportsBackwardInput(c.shape)
                    && !DirectConv2D.supportsBackwardWeight(c.shape), "\(c.name)")
        }
        // The benchmark subnet's 16-channel 3x3 convolution on 32x32 goes direct; MNIST's 26-wide input does not.
        #expect(DirectConv2D.supports(Conv2DShape(batch: 64, inChannels: 16, inHeight: 32, inWidth: 32, outChannels: 16,
                                                  kernel: (3, 3), padding: (1, 1))))
        let mnistConv2 = Conv2DShape(batch: 64, inChannels: 32, inHeight: 26, inWidth: 26, outChannels: 64, kernel: (3, 3))
        #expect(!DirectConv2D.supports(mnistConv2))
        // Its forward (24-wide output) goes direct; its input gradient (26 wide) and weight gradient stay on sgemm.
        #expect(DirectConv2D.supportsForward(mnistConv2))
        #expect(!DirectConv2D.supportsBackwardInput(mnistConv2))
        #expect(!DirectConv2D.supportsBackwardWeight(mnistConv2))
    }

    @Test func shapeArithmeticAndDispatch() {
        let s = Conv2DShape(batch: 2, inChannels: 3, inHeight: 28, inWidth: 28, outChannels: 8, kernel: (5, 5),
                            stride: (2, 2), padding: (2, 2))
        #expect(s.outHeight == 14 && s.outWidth == 14)
        #expect(Conv2D.workspaceSize(s) == 3 * 25 * 14 * 14)
        #expect(!s.isDepthwise && !s.isPointwise)
        let dw = Conv2DShape(batch: 1, inChannels: 8, inHeight: 5, inWidth: 5, outChannels: 8, kernel: (3, 3), groups: 8)
        #expect(dw.isDepthwise && Conv2D.workspaceSize(dw) == 0)
        let pw = Conv2DShape(batch: 1, inChannels: 8, inHeight: 5, inWidth: 5, outChannels: 4, kernel: (1, 1))
        #expect(pw.isPointwise && Conv2D.workspaceSize(pw) == 0)
        // A single input channel with groups 1 is not depthwise (it runs as GEMM).
        #expect(!Conv2DShape(batch: 1, inChannels: 1, inHeight: 5, inWidth: 5, outChannels: 4, kernel: (3, 3)).isDepthwise)
    }

    @Test func invalidShapesAreReported() {
        #expect(!Conv2DShape(batch: 1, inChannels: 3, inHeight: 5, inWidth: 5, outChannels: 4, kernel: (3, 3), groups: 2).isValid)
        #expect(!Conv2DShape(batch: 1, inChannels: 2, inHeight: 2, inWidth: 2, outChannels: 4, kernel: (3, 3)).isValid)
        #expect(!Conv2DShape(batch: 1, inChannels: 2, inHeight: 5, inWidth: 5, outChannels: 4, kernel: (3, 3),
                             stride: (0, 1)).isValid)
        #expect(!Conv2DShape(batch: 0, inChannels: 2, inHeight: 5, inWidth: 5, outChannels: 4, kernel: (3, 3)).isValid)
        #expect(Conv2DShape(batch: 1, inChannels: 2, inHeight: 5, inWidth: 5, outChannels: 4, kernel: (3, 3)).isValid)
    }

    @Test func threadSettingIsApplied() {
        let before = Kernels.threads
        Kernels.setThreads(1)
        #expect(Kernels.threads == 1)
        Kernels.setThreads(0)
        #expect(Kernels.threads == 1)
        Kernels.setThreads(before)
        #expect(Kernels.threads == before)
    }
}
