namespace AsymNet.Tensors;

/// <summary>One recorded op: the inputs it read and how to turn the output's gradient into theirs.</summary>
internal sealed class GradNode(Tensor[] inputs, Action<Tensor> backward, int[]? savedVersions)
{
    public readonly Tensor[] Inputs = inputs;
    /// <summary>Receives the gradient of the op's output and calls <see cref="Autograd.Accumulate"/> for inputs.</summary>
    public readonly Action<Tensor> Backward = backward;
    /// <summary>With <see cref="Autograd.CheckVersions"/>: the inputs' versions, then the output's, when recorded.</summary>
    public readonly int[]? SavedVersions = savedVersions;
}

public sealed partial class Tensor
{
    /// <summary>Whether gradients flow to this tensor. Set it on leaves (parameters); ops set it on outputs.</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>Accumulated gradient (same shape), or null before any backward.</summary>
    public Tensor? Grad { get; set; }

    internal GradNode? Node { get; set; }

    internal int VisitStamp;

    /// <summary>With <see cref="Autograd.CheckVersions"/>: <see cref="Grad"/>'s version when it was last written as this tensor's.</summary>
    internal int GradVersion;

    private List<Action<Tensor>>? _hooks;

    /// <summary>
    /// Set by <see cref="SetGradMask"/>: every gradient contribution is multiplied elementwise by it on its way into
    /// <see cref="Grad"/>, after the hooks.
    /// </summary>
    public Tensor? GradMask { get; private set; }

    /// <summary>True for tensors not produced by a recorded op.</summary>
    public bool IsLeaf => Node is null;

    /// <summary>
    /// Registers a hook that may modify, in place, each gradient contribution flowing into this tensor before it
    /// is accumulated (W-Asymmetric layers zero the gradient of fixed weights this way).
    /// </summary>
    public void RegisterHook(Action<Tensor> hook) => (_hooks ??= []).Add(hook);

    /// <summary>
    /// Masks every gradient contribution flowing into this tensor: Grad += g⊙mask instead of Grad += g (a W-Asymmetric
    /// weight's fixed entries get zero gradient). The same as a hook multiplying by the mask, but fused with the
    /// accumulation into one pass over memory and without copying the contribution first.
    /// </summary>
    public void SetGradMask(Tensor mask)
    {
        if (!ShapeUtil.SameShape(mask.Shape, Shape))
            throw new ArgumentException($"Gradient mask {ShapeUtil.Format(mask.Shape)} does not match tensor {ShapeUtil.Format(Shape)}.");
        GradMask = mask;
    }

    /// <summary>The same values without autograd history (shares storage).</summary>
    public Tensor Detach() => new(_storage, Offset, Shape, this);

    /// <summary>Back-propagates from this one-element tensor into every tensor that requires grad.</summary>
    public void Backward() => Autograd.Backward(this);

    /// <summary>Clears the gradient (PyTorch's zero_grad with set_to_none=False keeps storage; we zero in place).</summary>
    public void ZeroGrad() => Grad?.Span.Clear();

    internal bool HasHooks => _hooks is not null;

    internal void RunHooks(Tensor grad)
    {
        if (_hooks is null) return;
        foreach (var h in _hooks) h(grad);
    }
}

/// <summary>Reverse-mode automatic differentiation over the graph recorded by ops (define-by-run).</summary>
public static class Autograd
{
    [ThreadStatic] private static List<Tensor>? _order;
    [ThreadStatic] private static Stack<(Tensor, int)>? _stack;
    private static int _stamp;

    /// <summary>
    /// Debug check of the gradient-ownership rule, like PyTorch's saved-tensor version counter: a backward takes over
    /// its incoming gradient (bumping its <see cref="Tensor.Version"/>) and Accumulate bumps the gradient it adds into,
    /// and every backward first checks that the tensors it saved and the gradient it receives still have the versions
    /// they had. A gradient handed to two owners, or kept after AccumulateOwned, fails at the second reader. On in Debug
    /// builds; Release checks only a flag per op (tests switch it on).
    /// </summary>
    internal static bool CheckVersions =
#if DEBUG
        true;
#else
        false;
#endif

    /// <summary>True when an op with these inputs must record itself.</summary>
    public static bool NeedsGrad(Tensor a) => GradMode.Enabled && a.RequiresGrad;
    public static bool NeedsGrad(Tensor a, Tensor b) => GradMode.Enabled && (a.RequiresGrad || b.RequiresGrad);
    public static bool NeedsGrad(Tensor a, Tensor b, Tensor? c) =>
        GradMode.Enabled && (a.RequiresGrad || b.RequiresGrad || (c?.RequiresGrad ?? false));
    public static bool NeedsGrad(ReadOnlySpan<Tensor> inputs)
    {
        if (!GradMode.Enabled) return false;
        foreach (var t in inputs) if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>
    /// Marks <paramref name="output"/> as produced from <paramref name="inputs"/>, with its backward function. The
    /// gradient the backward function receives is its own: <see cref="Backward"/> drops it right after the call, so the
    /// function may overwrite it or hand it on once with <see cref="AccumulateOwned"/> (saving a pass over memory).
    /// </summary>
    public static void Record(Tensor output, Tensor[] inputs, Action<Tensor> backward)
    {
        output.RequiresGrad = true;
        output.Node = new GradNode(inputs, backward, CheckVersions ? [.. inputs.Select(t => t.Version), output.Version] : null);
    }

    /// <summary>Adds <paramref name="grad"/> into <paramref name="input"/>'s gradient; grad is copied, never kept.</summary>
    public static void Accumulate(Tensor input, Tensor grad) => Accumulate(input, grad, owned: false);

    /// <summary>
    /// Like <see cref="Accumulate(Tensor, Tensor)"/>, but may adopt <paramref name="grad"/> as the gradient when the
    /// op created it for this input alone (saves a copy). The caller must not touch grad afterwards.
    /// </summary>
    public static void AccumulateOwned(Tensor input, Tensor grad) => Accumulate(input, grad, owned: true);

    /// <summary>
    /// The gradient buffer of a hook-free leaf, created zeroed on first use, so that an op can accumulate into it in
    /// place (e.g. a GEMM with beta = 1) instead of producing a temporary; null when the op must call Accumulate.
    /// </summary>
    public static Tensor? LeafGradBuffer(Tensor input)
    {
        if (!input.RequiresGrad || !input.IsLeaf || input.HasHooks || input.GradMask is not null) return null;
        return input.Grad ??= Tensor.Persistent(input.Shape);
    }

    /// <summary>
    /// The gradient an op may add its contribution into in place, exactly as <see cref="Accumulate(Tensor, Tensor)"/>
    /// would (Grad + contribution); null when the contribution must go through Accumulate: no gradient yet, hooks to run
    /// or a mask to apply.
    /// </summary>
    internal static Tensor? GradToAddInto(Tensor input)
    {
        if (!input.RequiresGrad || input.Grad is null || input.HasHooks || input.GradMask is not null) return null;
        if (CheckVersions) input.GradVersion = ++input.Grad.Version;
        return input.Grad;
    }

    private static void Accumulate(Tensor input, Tensor grad, bool owned)
    {
        if (!input.RequiresGrad) return;
        if (!ShapeUtil.SameShape(input.Shape, grad.Shape))
            throw new InvalidOperationException($"Gradient shape {ShapeUtil.Format(grad.Shape)} does not match tensor {ShapeUtil.Format(input.Shape)}.");
        if (input.HasHooks && !owned)
        {
            // Hooks edit in place; the caller's tensor may also be another input's gradient (a + b).
            grad = grad.CopyScoped();
            owned = true;
        }
        input.RunHooks(grad);
        var mask = input.GradMask is { } m ? m.Span : default;
        if (input.Grad is null)
        {
            // Leaf gradients outlive the step's scope.
            var target = input.IsLeaf ? Tensor.Persistent(input.Shape) : owned ? grad : Tensor.Empty(input.Shape);
            if (input.GradMask is not null) System.Numerics.Tensors.TensorPrimitives.Multiply(grad.Span, mask, target.Span);
            else if (!ReferenceEquals(target, grad)) Ops.SimdMap.Map(new Ops.SimdMap.CopyKernel(), grad.Span, target.Span);
            input.Grad = target;
            if (CheckVersions) input.GradVersion = target.Version;
            return;
        }
        if (CheckVersions) input.GradVersion = ++input.Grad.Version;
        if (input.GradMask is not null)
        {
            // (g·m) + G, rounded twice like a masking hook followed by the addition.
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(grad.Span, mask, input.Grad.Span, input.Grad.Span);
        }
        else
        {
            Ops.SimdMap.Map(new Ops.SimdMap.AddKernel(), input.Grad.Span, grad.Span, input.Grad.Span);
        }
    }

    internal static void Backward(Tensor root)
    {
        if (root.Length != 1) throw new InvalidOperationException($"Backward() needs a one-element tensor, got {ShapeUtil.Format(root.Shape)}.");
        if (!root.RequiresGrad) throw new InvalidOperationException("Backward() on a tensor that does not require grad.");
        var order = TopologicalOrder(root);
        var seed = Tensor.Empty(root.Shape);
        seed.Span[0] = 1f;
        AccumulateOwned(root, seed);
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            var node = t.Node!;
            if (t.Grad is not null)
            {
                if (CheckVersions) TakeOver(t, node);
                node.Backward(t.Grad);
            }
            // Free the graph: intermediate results and closures are not needed after their backward ran.
            t.Node = null;
            t.Grad = null;
        }
        order.Clear();
    }

    /// <summary>
    /// Before t's backward: its saved tensors and its gradient must be as they were recorded; then the gradient becomes
    /// the backward's to overwrite, so any other holder of it sees a new version.
    /// </summary>
    private static void TakeOver(Tensor t, GradNode node)
    {
        var op = node.Backward.Method.Name;
        if (node.SavedVersions is { } saved)
        {
            for (var i = 0; i < node.Inputs.Length; i++)
                if (node.Inputs[i].Version != saved[i])
                    throw new InvalidOperationException($"Backward {op} reads input {i} {ShapeUtil.Format(node.Inputs[i].Shape)}, which was overwritten after the forward (version {saved[i]} → {node.Inputs[i].Version}).");
            if (t.Version != saved[^1])
                throw new InvalidOperationException($"Backward {op} reads its output {ShapeUtil.Format(t.Shape)}, which was overwritten after the forward.");
        }
        var grad = t.Grad!;
        if (grad.Version != t.GradVersion)
            throw new InvalidOperationException($"Backward {op} receives a gradient {ShapeUtil.Format(grad.Shape)} that another backward overwrote (version {t.GradVersion} → {grad.Version}): a gradient handed on with AccumulateOwned must have one owner.");
        grad.Version++;
    }

    /// <summary>Non-leaf tensors reachable from root, each after all of its inputs (iterative DFS).</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = _order ??= new List<Tensor>(256);
        var stack = _stack ??= new Stack<(Tensor, int)>(256);
        // A backward that threw leaves its order and stack behind.
        order.Clear();
        stack.Clear();
        var stamp = Interlocked.Increment(ref _stamp);
        if (root.Node is null) return order;
        root.VisitStamp = stamp;
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.Node!.Inputs;
            if (next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child.Node is not null && child.VisitStamp != stamp)
                {
                    child.VisitStamp = stamp;
                    stack.Push((child, 0));
                }
            }
            else order.Add(t);
        }
        return order;
    }
}
