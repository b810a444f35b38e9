Console.WriteLine("decoupled");
