from palapy.cli import main

raise SystemExit(main())
