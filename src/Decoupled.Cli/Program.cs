Console.WriteLine("decoupled: CLI under construction");
