namespace AsymNet.Tensors.Ops;

// Ops live in the static partial class Ops, one op (forward and backward side by side) per file in this folder.
// The contract every op keeps (scope-owned outputs, Autograd.Record, gradient ownership, SIMD maps, ParallelChunks,
// fused ops equal to their composition) and how to add one: docs/engine.md.
