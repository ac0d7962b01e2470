/// <summary>The self-host's entry point, public so tests can host it in process.</summary>
public partial class Program;
