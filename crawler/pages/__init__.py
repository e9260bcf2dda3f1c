"""Page objects: pure functions that read one kind of site's pages (a Scrapy response,
no engine) into ``Post`` items and the links a spider follows next."""
