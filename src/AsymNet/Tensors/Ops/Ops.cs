namespace AsymNet.Tensors.Ops;

// Ops live in the static partial class Ops, one op (forward and backward side by side) per file in this folder.
// Conventions: outputs are scope-owned (Tensor.Empty); an op records itself with Autograd.Record only when
// Autograd.NeedsGrad(...) says so; backward closures call Autograd.Accumulate/AccumulateOwned for each input.
