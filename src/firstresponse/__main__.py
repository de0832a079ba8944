from firstresponse.cli import main

raise SystemExit(main())
